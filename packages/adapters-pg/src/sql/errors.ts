import { Effect, Schedule } from "effect"
import { SqlError } from "effect/sql"

/** A deadlock or serialization failure: the transaction lost a race and may simply run again. */
export const isTransient = (error: unknown): error is SqlError.SqlError =>
  SqlError.isSqlError(error) &&
  (error.reason._tag === "DeadlockError" || error.reason._tag === "SerializationError")

/** A unique violation of the index or constraint `name`. */
export const isUniqueViolationOf = (name: string) => (error: SqlError.SqlError): boolean =>
  error.reason._tag === "UniqueViolation" && error.reason.constraint === name

/**
 * Runs a whole transaction again, up to 3 attempts in all with jittered exponential backoff, when
 * it failed on a deadlock or serialization error. Only whole transactions may be retried:
 * everything the failed attempt did was rolled back.
 */
export const retryTransient = <A, E, R>(transaction: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.retry(transaction, {
    while: isTransient,
    times: 2,
    schedule: Schedule.exponential("10 millis").pipe(Schedule.jittered)
  })
