import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Whether the database answers a trivial query within `timeoutMillis`: the readiness probe.
 * Never fails; any error or timeout is "no".
 */
export const databaseAnswers = (timeoutMillis = 2_000) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql`SELECT 1`.pipe(
      Effect.as(true),
      Effect.timeoutOrElse({ duration: timeoutMillis, orElse: () => Effect.succeed(false) }),
      Effect.orElseSucceed(() => false)
    )
  })

/** The service's connections as the server sees them (by `application_name`), busy and idle. */
export interface ConnectionUsage {
  readonly total: number
  readonly idle: number
}

/**
 * Counts this application's connections from `pg_stat_activity`. The pool itself keeps no public
 * counters; the server's view also covers every instance sharing the name.
 */
export const connectionUsage = (applicationName = "ticketmania") =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ readonly total: number; readonly idle: number }>`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'idle')::int AS idle
      FROM pg_stat_activity WHERE application_name = ${applicationName} AND pid <> pg_backend_pid()`
    return { total: row?.total ?? 0, idle: row?.idle ?? 0 }
  }).pipe(Effect.orElseSucceed((): ConnectionUsage => ({ total: 0, idle: 0 })))
