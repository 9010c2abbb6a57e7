import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { PgTimeouts } from "../config.ts"

/**
 * `SET LOCAL lock_timeout / statement_timeout` for the current transaction (as `set_config(…,
 * true)`, which takes parameters). A purchase stuck behind a frozen lock holder then fails fast
 * instead of holding a pooled connection forever.
 */
export const setLocalTimeouts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { lockTimeoutMillis, statementTimeoutMillis } = yield* PgTimeouts
  yield* sql`SELECT set_config('lock_timeout', ${String(lockTimeoutMillis)}, true),
    set_config('statement_timeout', ${String(statementTimeoutMillis)}, true)`
})
