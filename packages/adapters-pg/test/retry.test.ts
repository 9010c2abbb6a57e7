import { assert, describe, it, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Ref } from "effect"
import { PgClient } from "@effect/sql-pg"
import { SqlClient, SqlError } from "effect/sql"
import { TicketInventory } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand } from "@ticketmania/testing"
import { PgAdaptersLive } from "../src/layers.ts"
import { MigrationsLive } from "../src/migrate.ts"
import { retryTransient } from "../src/sql/errors.ts"
import { makeTestDatabase } from "../src/testing/testDatabase.ts"
import { awaitLockWaiters } from "./sessions.ts"
import { DB_TIMEOUT, serverUrl } from "./support.ts"

const sqlError = (reason: SqlError.SqlError["reason"]) => new SqlError.SqlError({ reason })
const failing = (times: number, reason: () => SqlError.SqlError["reason"]) =>
  Effect.gen(function*() {
    const attempts = yield* Ref.make(0)
    const exit = yield* retryTransient(Effect.gen(function*() {
      const n = yield* Ref.updateAndGet(attempts, (k) => k + 1)
      if (n <= times) return yield* Effect.fail(sqlError(reason()))
      return n
    })).pipe(Effect.exit)
    return { exit, attempts: yield* Ref.get(attempts) }
  })

describe("retryTransient", () => {
  it.live("re-runs a transaction that lost a deadlock or serialization race, 3 attempts in all", () =>
    Effect.gen(function*() {
      const deadlock = yield* failing(2, () => new SqlError.DeadlockError({ cause: new Error("40P01") }))
      assert.deepStrictEqual([deadlock.exit._tag, deadlock.attempts], ["Success", 3])
      const serialization = yield* failing(5, () => new SqlError.SerializationError({ cause: new Error("40001") }))
      assert.deepStrictEqual([serialization.exit._tag, serialization.attempts], ["Failure", 3])
    }))

  it.live("does not re-run other failures", () =>
    Effect.gen(function*() {
      const unique = yield* failing(1, () => new SqlError.UniqueViolation({ cause: new Error("23505"), constraint: "x" }))
      assert.deepStrictEqual([unique.exit._tag, unique.attempts], ["Failure", 1])
    }))
})

// Purchases run with PostgreSQL's deadlock check at 2 s, the session that provokes the deadlock at
// 60 s: the purchase is the one the server aborts, whatever the machine's speed.
const Storage = PgAdaptersLive.pipe(
  Layer.provideMerge(MigrationsLive),
  Layer.provideMerge(Layer.unwrap(Effect.map(makeTestDatabase(serverUrl()), (url) =>
    PgClient.layer({ url, maxConnections: 4, startupParameters: { deadlock_timeout: "2s" } }))))
)

layer(Storage, { excludeTestServices: true, timeout: DB_TIMEOUT })("a real deadlock", (it) => {
  it.effect("is retried: the purchase the server aborted runs again and completes", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ name: "A" }, { name: "B" }] })
      const [a, b] = event.ticketTypes
      if (a === undefined || b === undefined) return yield* Effect.die(new Error("fixture"))

      // Another session locks B and, once the purchase holds A (ascending order) and queues on B,
      // asks for A: a cycle. The server aborts the purchase (40P01); that session gets A and
      // commits; the retried purchase then goes through.
      const lockedB = yield* Deferred.make<void>()
      const askForA = yield* Deferred.make<void>()
      const other = yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql`SET LOCAL deadlock_timeout = '60s'`
        yield* sql`SELECT id FROM ticket_types WHERE id = ${b.id} FOR UPDATE`
        yield* Deferred.succeed(lockedB, undefined)
        yield* Deferred.await(askForA)
        yield* sql`SELECT id FROM ticket_types WHERE id = ${a.id} FOR UPDATE`
      })).pipe(Effect.forkChild)
      yield* Deferred.await(lockedB)
      const buying = yield* (yield* TicketInventory).purchase(yield* purchaseCommand([line(a, 1), line(b, 1)])).pipe(
        Effect.forkChild
      )
      yield* awaitLockWaiters(sql, 1)
      yield* Deferred.succeed(askForA, undefined)
      yield* Fiber.join(other)
      const { receipt } = yield* Fiber.join(buying)
      assert.strictEqual(receipt.tickets.length, 2)
      const sold = yield* sql<{ readonly sold_qty: number }>`
        SELECT sold_qty FROM ticket_types WHERE id IN (${a.id}, ${b.id}) ORDER BY id`
      assert.deepStrictEqual(sold.map((r) => r.sold_qty), [1, 1])
    }))
})
