// What every scenario is handed by the runner.
import type { Cluster } from "./cluster.ts"
import type { Pgbench } from "./pgbench.ts"
import type { Served } from "./processes.ts"

export interface BenchContext {
  readonly cluster: Cluster
  readonly service: Served
  /** A signed-in organizer, to create the scenario's events. */
  readonly token: string
  readonly pgbench: Pgbench | undefined
  /** `--quick`: shorter runs, the whole bench in under 2 minutes. */
  readonly quick: boolean
  /** `--profile`: pg_stat_statements per scenario (the service's CPU profile is taken by the runner). */
  readonly profile: boolean
  /** Progress lines, on stderr so stdout stays the report. */
  readonly say: (line: string) => void
}

/** Pauses between runs so one run's tail (commits, GC) does not land in the next. */
export const settle = (ms = 1_000) => new Promise((r) => setTimeout(r, ms))
