import { Clock, Deferred, Effect, Exit, FiberSet, Layer, Metric } from "effect"
import { Overloaded } from "../errors.ts"
import { purchaseBatchSize, purchasesOverloaded, soldOutFromMemo } from "../metrics.ts"
import { type PurchaseCommand, type PurchaseFailure, TicketInventory, type PurchaseOutcome } from "../ports/TicketInventory.ts"
import { lockOrder } from "../rules/allocate.ts"
import { makeSoldOutMemo } from "./soldOutMemo.ts"

// One hot ticket type caps a database at about one commit per lock hold, however many buyers
// wait. Coalescing turns many buyers into few, larger commits: purchases of the same ticket types
// (a "lane") wait while the lane's batch is in flight, and go together in the next one, which the
// inventory decides in arrival order in one transaction (`purchaseMany`). Under load, batches grow
// by themselves to what arrived during the previous commit; an idle lane gathers for `windowMillis`
// only before its first batch, so a lone buyer waits no more than that. One batch per lane is in
// flight at a time: a second would only queue on the same row locks.
//
// Admission: at most `maxQueued` purchases wait across all lanes; the next is refused at once with
// `Overloaded` (503 + Retry-After at the edge) instead of adding to everyone's wait.
// Sold-out types are answered from a short-lived memo (see soldOutMemo.ts).

/** How purchases are coalesced. */
export interface CoalescingOptions {
  /** How long an idle lane gathers before its first batch, in ms (0: dispatch at once). */
  readonly windowMillis: number
  /** Most purchases in one batch; a lane holding this many stops gathering. */
  readonly maxBatch: number
  /** Most purchases waiting for a batch, all lanes together; beyond it, `Overloaded`. */
  readonly maxQueued: number
  /** How long a sold-out answer may be given from memory, in ms (0: always ask the inventory). */
  readonly soldOutTtlMillis: number
  /** The retry hint of an `Overloaded` refusal, in seconds. */
  readonly retryAfterSeconds: number
}

interface Waiter {
  readonly command: PurchaseCommand
  readonly reply: Deferred.Deferred<PurchaseOutcome, PurchaseFailure>
}

interface Lane {
  readonly key: string
  readonly waiting: Array<Waiter>
  /** The batch in flight, answered if the lane is stopped (shutdown) before it completes. */
  inFlight: ReadonlyArray<Waiter>
  /** Completed once `maxBatch` purchases wait: the first batch need not wait out the window. */
  readonly full: Deferred.Deferred<void>
}

/**
 * Decorates a `TicketInventory`: `purchase` is coalesced per set of ticket types into batches for
 * the underlying `purchaseMany`, behind a bounded queue and a sold-out memo; `purchaseMany` passes
 * through (teaching the memo). Every purchase still gets its own result, exactly the one it would
 * have had alone at its place in the arrival order; a batch whose transaction fails fails every
 * purchase of it with that same defect, none half-written. Pure Effect: works over any adapter.
 */
export const coalescePurchases = (options: CoalescingOptions): Layer.Layer<TicketInventory, never, TicketInventory> =>
  Layer.effect(
    TicketInventory,
    Effect.gen(function*() {
      const inner = yield* TicketInventory
      const run = yield* FiberSet.makeRuntime<never, void, never>()
      const memo = makeSoldOutMemo(options.soldOutTtlMillis)
      const lanes = new Map<string, Lane>()
      let queued = 0

      const dispatch = Effect.fnUntraced(function*(batch: ReadonlyArray<Waiter>) {
        yield* Metric.update(purchaseBatchSize, batch.length)
        const exit = yield* Effect.exit(inner.purchaseMany(batch.map((w) => w.command)))
        if (Exit.isFailure(exit)) {
          for (const waiter of batch) Deferred.doneUnsafe(waiter.reply, Effect.failCause(exit.cause))
          return
        }
        memo.learn(exit.value.stock, yield* Clock.currentTimeMillis)
        for (const [i, waiter] of batch.entries()) {
          const result = exit.value.results[i]
          Deferred.doneUnsafe(
            waiter.reply,
            result === undefined ? Effect.die(new Error(`batch of ${batch.length} gave ${exit.value.results.length} results`)) : Effect.fromResult(result)
          )
        }
      })

      const drain = (lane: Lane): Effect.Effect<void> =>
        Effect.gen(function*() {
          if (options.windowMillis > 0 && lane.waiting.length < options.maxBatch) {
            yield* Effect.raceFirst(Effect.sleep(options.windowMillis), Deferred.await(lane.full))
          }
          while (lane.waiting.length > 0) {
            const batch = lane.waiting.splice(0, options.maxBatch)
            queued -= batch.length
            lane.inFlight = batch
            yield* dispatch(batch)
            lane.inFlight = []
          }
          lanes.delete(lane.key)
        }).pipe(Effect.onInterrupt(() =>
          Effect.sync(() => {
            for (const waiter of [...lane.inFlight, ...lane.waiting]) Deferred.doneUnsafe(waiter.reply, Effect.interrupt)
            queued -= lane.waiting.length
            lane.waiting.length = 0
            lanes.delete(lane.key)
          })
        ))

      const enqueue = (waiter: Waiter) => {
        const key = lockOrder(waiter.command.request).join(",")
        queued++
        const lane = lanes.get(key)
        if (lane !== undefined) {
          lane.waiting.push(waiter)
          if (lane.waiting.length >= options.maxBatch) Deferred.doneUnsafe(lane.full, Effect.void)
          return
        }
        const fresh: Lane = { key, waiting: [waiter], inFlight: [], full: Deferred.makeUnsafe<void>() }
        lanes.set(key, fresh)
        run(drain(fresh))
      }

      // A buyer who goes away before its batch leaves is taken out; once dispatched, it is decided.
      const withdraw = (waiter: Waiter) => {
        const lane = lanes.get(lockOrder(waiter.command.request).join(","))
        const at = lane?.waiting.indexOf(waiter) ?? -1
        if (lane === undefined || at < 0) return
        lane.waiting.splice(at, 1)
        queued--
      }

      const purchase = (command: PurchaseCommand): Effect.Effect<PurchaseOutcome, PurchaseFailure | Overloaded> =>
        Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<PurchaseOutcome, PurchaseFailure | Overloaded> => {
          const soldOut = memo.answer(command, now)
          if (soldOut !== undefined) return Effect.andThen(Metric.update(soldOutFromMemo, 1), Effect.fail(soldOut))
          if (queued >= options.maxQueued) {
            return Effect.andThen(
              Metric.update(purchasesOverloaded, 1),
              Effect.fail(new Overloaded({ retryAfterSeconds: options.retryAfterSeconds }))
            )
          }
          const waiter: Waiter = { command, reply: Deferred.makeUnsafe<PurchaseOutcome, PurchaseFailure>() }
          enqueue(waiter)
          return Deferred.await(waiter.reply).pipe(Effect.onInterrupt(() => Effect.sync(() => withdraw(waiter))))
        })

      return TicketInventory.of({
        purchase,
        purchaseMany: (commands) =>
          Effect.tap(inner.purchaseMany(commands), (outcome) =>
            Effect.map(Clock.currentTimeMillis, (now) => memo.learn(outcome.stock, now)))
      })
    })
  )
