// Starts `ticketmania serve` the way an operator would, as a child process, configured as the
// issue asks for measuring: rate limiting off, warnings-only logging, development mode (a JWT
// secret generated in the run's own data dir), on the bench's database.
import { fileURLToPath } from "node:url"
import { startServed } from "./processes.ts"
import type { Served } from "./processes.ts"

// BENCH_SERVICE_MAIN runs another checkout's service instead (its packages/cli/src/main.ts), to
// compare two versions in one session on a machine whose speed drifts.
const MAIN = process.env.BENCH_SERVICE_MAIN ?? fileURLToPath(new URL("../../packages/cli/src/main.ts", import.meta.url))

/** How to run the service. */
export interface ServiceOptions {
  readonly databaseUrl: string
  /** DATA_DIR of the service (only the development JWT secret lands there). */
  readonly dataDir: string
  /** Directory for a V8 CPU profile written when the service exits; none: no profiling. */
  readonly cpuProfileDir?: string | undefined
  /** Extra environment (e.g. DB_POOL_MAX) for experiments. */
  readonly env?: Record<string, string> | undefined
  /** The service's entry point, when not this checkout's (or `BENCH_SERVICE_MAIN`'s). */
  readonly main?: string | undefined
}

export const startService = (options: ServiceOptions): Promise<Served> =>
  startServed(
    "ticketmania serve",
    [
      ...(options.cpuProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`]),
      options.main ?? MAIN,
      "serve",
      "--port",
      "{port}",
      "--host",
      "127.0.0.1"
    ],
    {
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      APP_ENV: "development",
      RATE_LIMIT_ENABLED: "false",
      LOG_LEVEL: "warn",
      ...options.env
    },
    "/readyz"
  )
