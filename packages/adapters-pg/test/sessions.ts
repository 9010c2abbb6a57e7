import { Deferred, Effect, Fiber, Schedule } from "effect"
import type { SqlClient } from "effect/sql"

/**
 * Runs `take` in a transaction of its own session and keeps that transaction open (its locks
 * held) until the returned `release` runs. Lets a test put the database in a known state — a key
 * or a row locked by "someone else" — without any timing assumption.
 */
export const holdInOtherSession = <A, E, R>(sql: SqlClient.SqlClient, take: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const held = yield* Deferred.make<void>()
    const release = yield* Deferred.make<void>()
    const fiber = yield* sql.withTransaction(
      take.pipe(Effect.andThen(Deferred.succeed(held, undefined)), Effect.andThen(Deferred.await(release)))
    ).pipe(Effect.forkChild)
    yield* Deferred.await(held)
    return Deferred.succeed(release, undefined).pipe(Effect.andThen(Fiber.join(fiber)))
  })

/** Waits until `n` sessions of the current database are blocked on a lock (polls pg_stat_activity). */
export const awaitLockWaiters = (sql: SqlClient.SqlClient, n: number) =>
  sql<{ readonly waiting: bigint }>`
    SELECT count(*) AS waiting FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`.pipe(
    Effect.repeat({ until: (rows) => Number(rows[0]?.waiting ?? 0) >= n, schedule: Schedule.spaced("10 millis") }),
    Effect.timeout("30 seconds"),
    Effect.asVoid
  )
