import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Latch, Layer } from "effect"
import { TestClock } from "effect/testing"
import {
  type CoalescingOptions,
  coalescePurchases,
  IdempotencyKey,
  purchaseSoldOutNow,
  purchaseTickets,
  SalesActivity,
  SoldOutAnswers,
  TicketInventory,
  TicketType
} from "@ticketmania/domain"
import {
  InMemoryStorage,
  InMemoryStore,
  InMemoryTicketCodes,
  line,
  makeEvent,
  makeUser,
  purchaseCommand,
  ticketInventoryContract,
  ticketTypeAt,
  ticketTypesOf
} from "@ticketmania/testing"

// The coalescer over the in-memory inventory. A gate between the two shows what reaches the
// inventory (one entry per batch, with its size) and can hold a batch in flight, so each test
// arranges exactly which purchases arrive while a batch is running: no timing involved.

const OPTIONS: CoalescingOptions = { windowMillis: 0, maxBatch: 64, batchesInFlight: 2, maxQueued: 1_000, maxWaitMillis: 1_000, soldOutTtlMillis: 1_000, retryAfterSeconds: 1 }

interface Gate {
  readonly batches: Array<number>
  /** Opened when the first batch reaches the inventory. */
  readonly entered: Latch.Latch
  /** Batches wait on it before going on. */
  readonly release: Latch.Latch
  /** When set, the next batch dies with it instead of reaching the inventory. */
  failNext?: Error | undefined
}

const makeGate = (open: boolean) =>
  Effect.map(Effect.all([Latch.make(), Latch.make(open)]), ([entered, release]): Gate => ({ batches: [], entered, release }))

const gateLayer = (gate: Gate) =>
  Layer.effect(
    TicketInventory,
    Effect.gen(function*() {
      const real = yield* TicketInventory
      return TicketInventory.of({
        purchase: real.purchase,
        purchaseMany: (commands, options) =>
          Effect.suspend(() => {
            gate.batches.push(commands.length)
            const failure = gate.failNext
            gate.failNext = undefined
            return Effect.andThen(
              Effect.andThen(Latch.open(gate.entered), gate.release.await),
              failure === undefined ? real.purchaseMany(commands, options) : Effect.die(failure)
            )
          })
      })
    })
  )

const world = (gate: Gate, options: Partial<CoalescingOptions> = {}) =>
  coalescePurchases({ ...OPTIONS, ...options }).pipe(Layer.provide(gateLayer(gate)), Layer.provideMerge(InMemoryStorage))

const oneType = Effect.fn("oneType")(function*(totalQty: number) {
  const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty }] })
  return yield* ticketTypeAt(event.ticketTypes, 0)
})

const buyOne = (type: TicketType, idempotency: { readonly key: IdempotencyKey; readonly fingerprint: string } | null = null) =>
  Effect.gen(function*() {
    const command = yield* purchaseCommand([line(type, 1)], { idempotency })
    return yield* (yield* TicketInventory).purchase(command)
  })

const startImmediately = { startImmediately: true } as const

/** Lets other fibers run until `count` batches have reached the inventory. */
const untilBatches = (gate: Gate, count: number) =>
  Effect.gen(function*() {
    while (gate.batches.length < count) yield* Effect.yieldNow
  })

describe("coalescePurchases", () => {
  it.effect("gathers the purchases that arrive during a batch into the next one, answering each on its own", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(false)
      yield* Effect.gen(function*() {
        const type = yield* oneType(15)
        const first = yield* Effect.forkChild(Effect.result(buyOne(type)), startImmediately)
        yield* gate.entered.await
        const rest = yield* Effect.forEach(Array.from({ length: 20 }), () => Effect.forkChild(Effect.result(buyOne(type)), startImmediately))
        yield* Latch.open(gate.release)
        const results = yield* Fiber.joinAll([first, ...rest])
        assert.deepStrictEqual(gate.batches, [1, 20])
        assert.strictEqual(results.filter((r) => r._tag === "Success").length, 15)
        assert.deepStrictEqual([...new Set(results.flatMap((r) => (r._tag === "Failure" ? [r.failure._tag] : [])))], ["SoldOut"])
        assert.deepStrictEqual((yield* ticketTypesOf(type.eventId)).map((t) => t.soldQty), [15])
      }).pipe(Effect.provide(world(gate)))
    }))

  it.effect("starts a lane's next batch once the one in flight holds its locks, not before, and with one in flight only after it", () =>
    Effect.gen(function*() {
      // Each batch takes its locks when `lock` opens, reports them, then holds until `release`
      // opens: what was dispatched meanwhile shows whether batches overlap.
      const lock = yield* Latch.make(false)
      const release = yield* Latch.make(false)
      const batches: Array<number> = []
      const holding = Layer.effect(
        TicketInventory,
        TicketInventory.useSync((real) =>
          TicketInventory.of({
            purchase: real.purchase,
            purchaseMany: (commands, options) =>
              Effect.suspend(() => {
                batches.push(commands.length)
                const locking = Effect.andThen(lock.await, options?.onLocked ?? Effect.void)
                return Effect.andThen(Effect.andThen(locking, release.await), real.purchaseMany(commands))
              })
          }))
      )
      const run = (batchesInFlight: number) =>
        Effect.gen(function*() {
          batches.length = 0
          yield* Latch.close(lock)
          yield* Latch.close(release)
          const type = yield* oneType(100)
          const first = yield* Effect.forkChild(buyOne(type), startImmediately)
          yield* Effect.yieldNow
          const rest = yield* Effect.forEach(Array.from({ length: 5 }), () => Effect.forkChild(buyOne(type), startImmediately))
          // Ample turns for the lane to dispatch whatever it may, before and after the first locks.
          for (let i = 0; i < 50; i++) yield* Effect.yieldNow
          const beforeLocks = [...batches]
          yield* Latch.open(lock)
          for (let i = 0; i < 50; i++) yield* Effect.yieldNow
          const whileFirstHeld = [...batches]
          yield* Latch.open(release)
          yield* Fiber.joinAll([first, ...rest])
          assert.deepStrictEqual((yield* ticketTypesOf(type.eventId)).map((t) => t.soldQty), [6])
          return [beforeLocks, whileFirstHeld]
        }).pipe(
          Effect.provide(coalescePurchases({ ...OPTIONS, batchesInFlight }).pipe(Layer.provide(holding), Layer.provideMerge(InMemoryStorage)))
        )
      assert.deepStrictEqual(yield* run(2), [[1], [1, 5]], "the second batch starts once the first holds its locks")
      assert.deepStrictEqual(yield* run(1), [[1], [1]], "one at a time: the second waits for the first to complete")
    }))

  it.effect("refuses at once with Overloaded, and a retry hint, once maxQueued purchases wait", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(false)
      yield* Effect.gen(function*() {
        const type = yield* oneType(10)
        const inFlight = yield* Effect.forkChild(buyOne(type), startImmediately)
        yield* gate.entered.await
        const queued = yield* Effect.forEach(Array.from({ length: 3 }), () => Effect.forkChild(buyOne(type), startImmediately))
        const refused = yield* Effect.flip(buyOne(type))
        assert.strictEqual(refused._tag, "Overloaded")
        if (refused._tag === "Overloaded") assert.strictEqual(refused.retryAfterSeconds, 2)
        // The use case asks admission before it even decodes the request: a flood costs little.
        const early = yield* Effect.flip(purchaseTickets({ not: "a purchase" }, { userId: null, idempotencyKey: null }))
        assert.strictEqual(early._tag, "Overloaded")
        yield* Latch.open(gate.release)
        yield* Fiber.joinAll([inFlight, ...queued])
        assert.deepStrictEqual((yield* ticketTypesOf(type.eventId)).map((t) => t.soldQty), [4])
      }).pipe(Effect.provide(world(gate, { maxQueued: 3, retryAfterSeconds: 2 })), Effect.provide(InMemoryTicketCodes))
    }))

  it.effect("refuses a purchase that would wait past maxWaitMillis behind full batches, but never one that fits the next", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(false)
      yield* Effect.gen(function*() {
        const type = yield* oneType(10)
        // A first batch that takes 50 ms (on the test clock) teaches the pace.
        const first = yield* Effect.forkChild(buyOne(type), startImmediately)
        yield* gate.entered.await
        yield* TestClock.adjust("50 millis")
        yield* Latch.open(gate.release)
        yield* Fiber.join(first)
        yield* Latch.close(gate.release)
        const inFlight = yield* Effect.forkChild(buyOne(type), startImmediately)
        yield* untilBatches(gate, 2)
        const nextBatch = yield* Effect.forEach(Array.from({ length: 2 }), () => Effect.forkChild(buyOne(type), startImmediately))
        // Two batches ahead (the one in flight and a full one) at 50 ms each: past 60 ms.
        const refused = yield* Effect.flip(buyOne(type))
        assert.strictEqual(refused._tag, "Overloaded")
        yield* Latch.open(gate.release)
        yield* Fiber.joinAll([inFlight, ...nextBatch])
        assert.deepStrictEqual(gate.batches, [1, 1, 2])
      }).pipe(Effect.provide(world(gate, { maxBatch: 2, maxWaitMillis: 60 })))
    }))

  it.effect("answers a purchase of a sold-out type at once (SoldOutAnswers), as purchaseTickets would, but not a keyed or invalid one", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(true)
      yield* Effect.gen(function*() {
        const type = yield* oneType(1)
        const body = (quantity: number) => [{
          eventId: type.eventId,
          ticketTypes: [{ ticketTypeId: type.id, quantity, buyerEmail: "late@example.com", buyerPhone: "+2348012345678" }]
        }]
        const guest = { userId: null, idempotencyKey: null }
        const answers = yield* SoldOutAnswers
        assert.isUndefined(purchaseSoldOutNow(answers, body(1), guest), "not known sold out yet")
        yield* buyOne(type) // the last ticket: the memo learns the type is sold out
        const batches = gate.batches.length

        const now = purchaseSoldOutNow(answers, body(2), guest)
        const viaUseCase = yield* Effect.flip(purchaseTickets(body(2), guest))
        assert.strictEqual(now?._tag, "SoldOut")
        assert.strictEqual(viaUseCase._tag, "SoldOut")
        assert.strictEqual(now?.message, viaUseCase.message)
        assert.strictEqual(gate.batches.length, batches, "neither asked the inventory")

        // A keyed purchase may be the retry of a sale, and an invalid one has its errors to hear.
        assert.isUndefined(purchaseSoldOutNow(answers, body(1), { userId: null, idempotencyKey: "k-1" }))
        assert.isUndefined(purchaseSoldOutNow(answers, body(0), guest))
        assert.isUndefined(purchaseSoldOutNow(answers, { eventId: type.eventId }, guest))
        // Past the memo's time to live, nothing is known.
        yield* TestClock.adjust("1 second")
        assert.isUndefined(purchaseSoldOutNow(answers, body(1), guest))
      }).pipe(Effect.provide(world(gate)), Effect.provide(InMemoryTicketCodes))
    }))

  it.effect("fails every purchase of a batch whose transaction failed with that same defect, selling none", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(false)
      yield* Effect.gen(function*() {
        const type = yield* oneType(10)
        const lost = new Error("connection lost")
        const first = yield* Effect.forkChild(buyOne(type), startImmediately)
        yield* gate.entered.await
        gate.failNext = lost
        const batch = yield* Effect.forEach(Array.from({ length: 3 }), () => Effect.forkChild(Effect.exit(buyOne(type)), startImmediately))
        yield* Latch.open(gate.release)
        yield* Fiber.join(first)
        const exits = yield* Fiber.joinAll(batch)
        assert.deepStrictEqual(gate.batches, [1, 3])
        for (const exit of exits) {
          assert.isTrue(Exit.isFailure(exit) && Cause.squash(exit.cause) === lost)
        }
        assert.deepStrictEqual((yield* ticketTypesOf(type.eventId)).map((t) => t.soldQty), [1])
      }).pipe(Effect.provide(world(gate)))
    }))

  it.effect("reports selling (SalesActivity) while a purchase waits or its batch is in flight, and not once all are answered", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(false)
      yield* Effect.gen(function*() {
        const activity = yield* SalesActivity
        const type = yield* oneType(10)
        assert.isFalse(activity.selling())
        const first = yield* Effect.forkChild(buyOne(type), startImmediately)
        assert.isTrue(activity.selling(), "waiting for its batch")
        yield* gate.entered.await
        assert.isTrue(activity.selling(), "its batch in flight")
        yield* Latch.open(gate.release)
        yield* Fiber.join(first)
        // The lane closes when the coalescer's fiber next runs, after the batch is answered.
        for (let i = 0; i < 3; i++) yield* Effect.yieldNow
        assert.isFalse(activity.selling())
      }).pipe(Effect.provide(world(gate)))
    }))

  it.effect("takes out a buyer who leaves before its batch goes", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(false)
      yield* Effect.gen(function*() {
        const type = yield* oneType(10)
        const first = yield* Effect.forkChild(buyOne(type), startImmediately)
        yield* gate.entered.await
        const leaving = yield* Effect.forkChild(buyOne(type), startImmediately)
        yield* Fiber.interrupt(leaving)
        yield* Latch.open(gate.release)
        yield* Fiber.join(first)
        assert.deepStrictEqual(gate.batches, [1])
        assert.deepStrictEqual((yield* ticketTypesOf(type.eventId)).map((t) => t.soldQty), [1])
      }).pipe(Effect.provide(world(gate)))
    }))

  it.effect("gathers for the window before a first batch, and stops gathering once a batch is full", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(true)
      yield* Effect.gen(function*() {
        const type = yield* oneType(10)
        const lone = yield* Effect.forkChild(buyOne(type), startImmediately)
        yield* Effect.yieldNow
        assert.deepStrictEqual(gate.batches, [], "still gathering")
        yield* TestClock.adjust("5 millis")
        yield* Fiber.join(lone)
        const full = yield* Effect.forEach(Array.from({ length: 3 }), () => Effect.forkChild(buyOne(type), startImmediately))
        yield* Fiber.joinAll(full)
        assert.deepStrictEqual(gate.batches, [1, 3])
      }).pipe(Effect.provide(world(gate, { windowMillis: 5, maxBatch: 3 })))
    }))

  it.effect("answers a sold-out type from memory, except keyed purchases, until the memo expires or stock is seen again", () =>
    Effect.gen(function*() {
      const gate = yield* makeGate(true)
      yield* Effect.gen(function*() {
        const type = yield* oneType(2)
        yield* buyOne(type)
        yield* buyOne(type) // this batch leaves nothing: the memo learns it
        assert.strictEqual(gate.batches.length, 2)
        const remembered = yield* Effect.flip(buyOne(type))
        assert.strictEqual(remembered._tag, "SoldOut")
        if (remembered._tag === "SoldOut") assert.deepStrictEqual([remembered.asked, remembered.left], [1, 0])
        assert.strictEqual(gate.batches.length, 2, "answered without the inventory")

        // Stock comes back behind this instance's back: the memo may say "sold out" until it expires.
        const { tables } = yield* InMemoryStore
        const row = tables.ticketTypes.get(type.id)
        if (row !== undefined) tables.ticketTypes.set(type.id, new TicketType({ ...row, totalQty: 4 }))
        assert.strictEqual((yield* Effect.flip(buyOne(type)))._tag, "SoldOut")
        // A keyed purchase always asks the inventory (it may be a retry of a sale): it sells, and
        // the batch's stock clears the memo for everyone.
        const keyed = yield* buyOne(type, { key: IdempotencyKey.make("k"), fingerprint: "f" })
        assert.isFalse(keyed.replayed)
        yield* buyOne(type)
        assert.strictEqual(gate.batches.length, 4)
        // Sold out again; past the time to live the inventory is asked again.
        assert.strictEqual((yield* Effect.flip(buyOne(type)))._tag, "SoldOut")
        assert.strictEqual(gate.batches.length, 4)
        yield* TestClock.adjust("1 second")
        assert.strictEqual((yield* Effect.flip(buyOne(type)))._tag, "SoldOut")
        assert.strictEqual(gate.batches.length, 5)
      }).pipe(Effect.provide(world(gate)))
    }))
})

// The inventory contract, races and batches included, holds with coalescing in front.
ticketInventoryContract("in memory, coalesced", coalescePurchases({ ...OPTIONS, windowMillis: 1 }).pipe(Layer.provideMerge(InMemoryStorage)))
