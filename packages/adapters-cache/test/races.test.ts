import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Fiber, Latch, Result } from "effect"
import { EventRepository, TicketInventory } from "@ticketmania/domain"
import type { StoragePorts } from "@ticketmania/testing"
import { makeEvent, makeUser } from "@ticketmania/testing"
import { buy, makeWorld, read, soldOn } from "./support.ts"

// A read that misses the cache loads from the database while sales go on. Whatever the order in
// which the load's snapshot, the sale's commit and the sale's report to the cache happen, what the
// cache keeps afterwards must be the exact count: never the count before the sale (a lost sale),
// never the sale counted twice.

const fixture = (on: Context.Context<StoragePorts>) =>
  Effect.provide(Effect.flatMap(makeUser(), (user) => makeEvent(user.id, { ticketTypes: [{ totalQty: 10 }] })), on)

describe("event read cache races", () => {
  it.effect("a load whose snapshot predates a sale reported meanwhile still shows the sale", () =>
    Effect.scoped(Effect.gen(function*() {
      const snapshotTaken = yield* Latch.make()
      const release = yield* Latch.make()
      let pause = false
      const { a, database } = yield* makeWorld({
        // Reads take their snapshot, then (when asked to) wait before answering.
        database: (real) => {
          const events = Context.get(real, EventRepository)
          return Context.add(real, EventRepository, {
            ...events,
            findById: (id) =>
              Effect.tap(events.findById(id), () =>
                pause ? Effect.andThen(Latch.open(snapshotTaken), release.await) : Effect.void)
          })
        }
      })
      const event = yield* fixture(database)
      const [type] = event.ticketTypes
      if (type === undefined) return yield* Effect.die(new Error("fixture"))
      pause = true
      const reading = yield* Effect.forkChild(read(a, event.id))
      yield* snapshotTaken.await
      pause = false
      yield* buy(a, type, 3)
      yield* Latch.open(release)
      const served = yield* Fiber.join(reading)
      assert.strictEqual(served.ticketTypes[0]?.soldQty, 3, "the reply")
      assert.deepStrictEqual(yield* soldOn(a, event.id), [3], "what the cache kept")
    })))

  it.effect("a load that already saw a sale reported later does not count it twice", () =>
    Effect.scoped(Effect.gen(function*() {
      const committed = yield* Latch.make()
      const report = yield* Latch.make()
      const { a, database } = yield* makeWorld({
        // Purchases commit, then wait before their result reaches the cache.
        database: (real) => {
          const inventory = Context.get(real, TicketInventory)
          return Context.add(real, TicketInventory, {
            purchase: (command) =>
              Effect.tap(inventory.purchase(command), () => Effect.andThen(Latch.open(committed), report.await)),
            purchaseMany: inventory.purchaseMany
          })
        }
      })
      const event = yield* fixture(database)
      const [type] = event.ticketTypes
      if (type === undefined) return yield* Effect.die(new Error("fixture"))
      const buying = yield* Effect.forkChild(buy(a, type, 3))
      yield* committed.await
      assert.deepStrictEqual(yield* soldOn(a, event.id), [3], "loaded after the commit")
      yield* Latch.open(report)
      yield* Fiber.join(buying)
      assert.deepStrictEqual(yield* soldOn(a, event.id), [3], "still 3 once the sale is reported")
      yield* buy(a, type, 2)
      assert.deepStrictEqual(yield* soldOn(a, event.id), [5])
    })))

  it.effect("many buyers racing many readers: every read after the last sale is exact", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a, b, database } = yield* makeWorld()
      const event = yield* Effect.provide(
        Effect.flatMap(makeUser(), (user) => makeEvent(user.id, { ticketTypes: [{ totalQty: 60, maxPerOrder: 3 }] })),
        database
      )
      const [type] = event.ticketTypes
      if (type === undefined) return yield* Effect.die(new Error("fixture"))
      // 40 buyers of 1 to 3 tickets through instance a, readers interleaved; 60 seats.
      const quantity = (i: number) => 1 + (i % 3)
      const outcomes = yield* Effect.all(
        Array.from({ length: 40 }, (_, i) =>
          Effect.andThen(read(a, event.id), Effect.result(buy(a, type, quantity(i))))),
        { concurrency: "unbounded" }
      )
      const sold = outcomes.reduce((n, r, i) => n + (Result.isSuccess(r) ? quantity(i) : 0), 0)
      const truth = yield* soldOn(database, event.id)
      assert.deepStrictEqual(truth, [sold])
      assert.deepStrictEqual(yield* soldOn(a, event.id), truth, "the selling instance")
      assert.isAtMost((yield* soldOn(b, event.id))[0] ?? 0, sold)
    })))

  it.effect("concurrent misses of one event share one load, also when the reader doing it goes away", () =>
    Effect.scoped(Effect.gen(function*() {
      const gate = yield* Latch.make()
      let loads = 0
      const { a, database } = yield* makeWorld({
        database: (real) => {
          const events = Context.get(real, EventRepository)
          return Context.add(real, EventRepository, {
            ...events,
            findById: (id) => Effect.andThen(Effect.sync(() => loads++), Effect.andThen(gate.await, events.findById(id)))
          })
        }
      })
      const event = yield* fixture(database)
      const leader = yield* Effect.forkChild(read(a, event.id))
      yield* Effect.yieldNow
      const followers = yield* Effect.forkChild(Effect.all(Array.from({ length: 20 }, () => read(a, event.id)), { concurrency: "unbounded" }))
      yield* Effect.yieldNow
      assert.strictEqual(loads, 1, "one load for 21 readers")
      yield* Fiber.interrupt(leader)
      yield* Latch.open(gate)
      const served = yield* Fiber.join(followers)
      assert.isTrue(served.every((e) => e.id === event.id))
      assert.strictEqual(loads, 2, "the followers started over with one load")
    })))
})
