import { SqlError } from "effect/sql"
import { Unavailable } from "../api/errors.ts"
import { errorResponse } from "./errorResponse.ts"

// The storage adapters let SQL failures die. Most are bugs (500), but a database that is away,
// restarting or out of connections makes the service "unavailable" in the contract: 503, retry in
// a moment. Found by the system tests, where killed connections and a restarted server gave 500.

// SQLSTATEs a server sends while it shuts down, starts up, recovers from a crash or has no
// connection slot left: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now,
// 57P04 database_dropped, 57P05 idle_session_timeout, 53300 too_many_connections.
const UNAVAILABLE_STATES = /^(?:57P0[1-5]|53300)$/

const sqlState = (cause: unknown): unknown =>
  typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined

/**
 * A storage failure that a later attempt may not meet: the connection broke or could not be
 * opened, the server is going away or starting up, a lock or statement timed out, or a deadlock
 * or serialization failure outlived the adapter's retries.
 */
export const isTransientDatabaseFailure = (defect: unknown): defect is SqlError.SqlError => {
  if (!SqlError.isSqlError(defect)) return false
  if (defect.isRetryable) return true
  const state = sqlState(defect.reason.cause)
  return defect.reason._tag === "UnknownError" && typeof state === "string" && UNAVAILABLE_STATES.test(state)
}

/** The reply for such a failure. */
export const databaseUnavailable = () =>
  errorResponse(new Unavailable({ error: "the database is unavailable; retry in a moment", code: "unavailable" }))
