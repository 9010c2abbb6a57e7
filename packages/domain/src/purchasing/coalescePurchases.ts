import { Clock, Context, DateTime, Deferred, Effect, Exit, FiberSet, Layer, Metric, Semaphore } from "effect"
import { Overloaded } from "../errors.ts"
import { purchaseBatchSize, purchasesOverloaded, soldOutFromMemo, soldOutRejections } from "../metrics.ts"
import { PurchaseAdmission } from "../ports/PurchaseAdmission.ts"
import { SalesActivity } from "../ports/SalesActivity.ts"
import { SoldOutAnswers } from "../ports/SoldOutAnswers.ts"
import { type PurchaseCommand, type PurchaseFailure, TicketInventory, type PurchaseOutcome } from "../ports/TicketInventory.ts"
import { lockOrder } from "../rules/allocate.ts"
import type { PurchaseRequest } from "../rules/purchaseInput.ts"
import { makeAdmission } from "./admission.ts"
import { makeSoldOutMemo } from "./soldOutMemo.ts"
import { withoutStackTrace } from "../rules/withoutStackTrace.ts"

// One hot ticket type caps a database at about one commit per lock hold, however many buyers
// wait. Coalescing turns many buyers into few, larger commits: purchases of the same ticket types
// (a "lane") wait while the lane's batch is in flight, and go together in the next one, which the
// inventory decides in arrival order in one transaction (`purchaseMany`). Under load, batches grow
// by themselves to what arrived during the previous commit; an idle lane gathers for `windowMillis`
// only before its first batch, so a lone buyer waits no more than that. Up to `batchesInFlight`
// batches of a lane are in flight, pipelined: the next is started once the one before holds its
// locks, so it does its own work up to the locks (opening its transaction, idempotency keys) while
// the one before decides and commits, then queues on the locks behind it — never overtaking it.
//
// Admission (see admission.ts): a purchase is refused at once with `Overloaded` (503 + Retry-After
// at the edge) instead of adding to everyone's wait, when `maxQueued` purchases wait already or
// when it would wait longer than `maxWaitMillis` behind full batches. The check runs twice: before
// the request is decoded (`PurchaseAdmission`, cheap, an estimate) and in its lane (exact).
// Sold-out types are answered from a short-lived memo (see soldOutMemo.ts).

/** How purchases are coalesced. */
export interface CoalescingOptions {
  /** How long an idle lane gathers before its first batch, in ms (0: dispatch at once). */
  readonly windowMillis: number
  /** Most purchases in one batch; a lane holding this many stops gathering. */
  readonly maxBatch: number
  /** Batches of one lane in flight at once, pipelined (1: one after the other). */
  readonly batchesInFlight: number
  /** Most purchases waiting for a batch, all lanes together; beyond it, `Overloaded`. */
  readonly maxQueued: number
  /** Longest expected wait behind full batches, in ms; a purchase that would wait longer is refused. */
  readonly maxWaitMillis: number
  /** How long a sold-out answer may be given from memory, in ms (0: always ask the inventory). */
  readonly soldOutTtlMillis: number
  /** The retry hint of an `Overloaded` refusal, in seconds. */
  readonly retryAfterSeconds: number
}

/** Purchases of the same ticket types share a lane. */
const laneKey = (command: PurchaseCommand) => lockOrder(command.request).join(",")

interface Waiter {
  readonly command: PurchaseCommand
  readonly reply: Deferred.Deferred<PurchaseOutcome, PurchaseFailure>
}

interface Lane {
  readonly key: string
  readonly waiting: Array<Waiter>
  /** The purchases of the batches in flight, answered if the lane is stopped (shutdown) first. */
  readonly inFlight: Set<Waiter>
  /** Completed once `maxBatch` purchases wait: the first batch need not wait out the window. */
  readonly full: Deferred.Deferred<void>
  /** Completed when a batch of the lane completes (renewed by whoever waits for it). */
  settled: Deferred.Deferred<void>
}

/**
 * Decorates a `TicketInventory`: `purchase` is coalesced per set of ticket types into batches for
 * the underlying `purchaseMany`, behind admission control and a sold-out memo; `purchaseMany`
 * passes through (teaching the memo). Also provides the matching `PurchaseAdmission`,
 * `SoldOutAnswers` and `SalesActivity` (references, so they do not show in the layer's type).
 * Every purchase still gets its own result, exactly the one it would have had alone at its place
 * in the arrival order; a batch whose transaction fails fails every purchase of it with that same
 * defect, none half-written. Pure Effect: works over any adapter.
 */
export const coalescePurchases = (
  options: CoalescingOptions
): Layer.Layer<TicketInventory, never, TicketInventory> =>
  Layer.effectContext(Effect.gen(function*() {
    const inner = yield* TicketInventory
    const run = yield* FiberSet.makeRuntime<never, void, never>()
    const memo = makeSoldOutMemo(options.soldOutTtlMillis)
    const admission = makeAdmission(options)
    const lanes = new Map<string, Lane>()
    const context = yield* Effect.context<never>()
    // One refusal for every buyer turned away: it says nothing of the buyer.
    const refusal = withoutStackTrace(() => new Overloaded({ retryAfterSeconds: options.retryAfterSeconds }))
    const overloaded = Effect.andThen(Metric.update(purchasesOverloaded, 1), Effect.fail(refusal))

    const dispatch = Effect.fnUntraced(function*(batch: ReadonlyArray<Waiter>, onLocked: Effect.Effect<void>) {
      yield* Metric.update(purchaseBatchSize, batch.length)
      const started = yield* Clock.currentTimeMillis
      const exit = yield* Effect.exit(inner.purchaseMany(batch.map((w) => w.command), { onLocked }))
      const now = yield* Clock.currentTimeMillis
      admission.batchTook(now - started)
      if (Exit.isFailure(exit)) {
        for (const waiter of batch) Deferred.doneUnsafe(waiter.reply, Effect.failCause(exit.cause))
        return
      }
      memo.learn(exit.value.stock, now)
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
        const slots = Semaphore.makeUnsafe(Math.max(1, options.batchesInFlight))
        while (lane.waiting.length > 0 || lane.inFlight.size > 0) {
          if (lane.waiting.length === 0) {
            // Only batches in flight: whatever arrives meanwhile goes once one of them completes
            // (not at once: a batch of the first arrival alone would cost a transaction for one).
            lane.settled = Deferred.makeUnsafe<void>()
            yield* Deferred.await(lane.settled)
            continue
          }
          yield* Semaphore.take(slots, 1)
          // Buyers who went away while this waited for a slot are gone from the queue.
          const batch = lane.waiting.splice(0, options.maxBatch)
          if (batch.length === 0) {
            yield* Semaphore.release(slots, 1)
            continue
          }
          admission.count(-batch.length)
          for (const waiter of batch) lane.inFlight.add(waiter)
          const locked = Deferred.makeUnsafe<void>()
          const done = Effect.andThen(
            Effect.sync(() => {
              for (const waiter of batch) lane.inFlight.delete(waiter)
              Deferred.doneUnsafe(locked, Effect.void)
              Deferred.doneUnsafe(lane.settled, Effect.void)
            }),
            Semaphore.release(slots, 1)
          )
          yield* Effect.forkChild(Effect.ensuring(dispatch(batch, Deferred.done(locked, Exit.void)), done))
          // The next batch starts once this one holds its locks (or is over): it cannot overtake it.
          yield* Deferred.await(locked)
        }
        lanes.delete(lane.key)
      }).pipe(Effect.onInterrupt(() =>
        Effect.sync(() => {
          for (const waiter of [...lane.inFlight, ...lane.waiting]) Deferred.doneUnsafe(waiter.reply, Effect.interrupt)
          admission.count(-lane.waiting.length)
          lane.waiting.length = 0
          lanes.delete(lane.key)
        })
      ))

    const enqueue = (waiter: Waiter, key: string, lane: Lane | undefined) => {
      admission.count(1)
      if (lane !== undefined) {
        lane.waiting.push(waiter)
        if (lane.waiting.length >= options.maxBatch) Deferred.doneUnsafe(lane.full, Effect.void)
        return
      }
      const fresh: Lane = { key, waiting: [waiter], inFlight: new Set(), full: Deferred.makeUnsafe<void>(), settled: Deferred.makeUnsafe<void>() }
      lanes.set(key, fresh)
      run(drain(fresh))
    }

    // A buyer who goes away before its batch leaves is taken out; once dispatched, it is decided.
    const withdraw = (waiter: Waiter, key: string) => {
      const lane = lanes.get(key)
      const at = lane?.waiting.indexOf(waiter) ?? -1
      if (lane === undefined || at < 0) return
      lane.waiting.splice(at, 1)
      admission.count(-1)
    }

    const purchase = (command: PurchaseCommand): Effect.Effect<PurchaseOutcome, PurchaseFailure | Overloaded> =>
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<PurchaseOutcome, PurchaseFailure | Overloaded> => {
        const soldOut = memo.answer(command, now)
        if (soldOut !== undefined) return Effect.andThen(Metric.update(soldOutFromMemo, 1), Effect.fail(soldOut))
        const key = laneKey(command)
        const lane = lanes.get(key)
        if (admission.refuseInLane(lane?.waiting.length ?? 0, (lane?.inFlight.size ?? 0) > 0)) return overloaded
        const waiter: Waiter = { command, reply: Deferred.makeUnsafe<PurchaseOutcome, PurchaseFailure>() }
        enqueue(waiter, key, lane)
        return Deferred.await(waiter.reply).pipe(Effect.onInterrupt(() => Effect.sync(() => withdraw(waiter, key))))
      })

    const coalesced = TicketInventory.of({
      purchase,
      purchaseMany: (commands) =>
        Effect.tap(inner.purchaseMany(commands), (outcome) => Effect.map(Clock.currentTimeMillis, (now) => memo.learn(outcome.stock, now)))
    })
    const admit = Effect.suspend(() => (admission.refuseEarly(lanes.size) ? overloaded : Effect.void))
    const refusalNow = () => {
      if (!admission.refuseEarly(lanes.size)) return undefined
      purchasesOverloaded.updateUnsafe(1, context)
      return refusal
    }
    const clock = Context.get(context, Clock.Clock)
    const answerNow = (request: PurchaseRequest) => {
      const nowMillis = clock.currentTimeMillisUnsafe()
      const soldOut = memo.answerRequest(request, DateTime.makeUnsafe(nowMillis), nowMillis)
      if (soldOut !== undefined) {
        soldOutFromMemo.updateUnsafe(1, context)
        soldOutRejections.updateUnsafe(1, context)
      }
      return soldOut
    }
    return Context.make(TicketInventory, coalesced).pipe(
      Context.add(PurchaseAdmission, { admit, refusalNow }),
      Context.add(SoldOutAnswers, { answerNow, remembersAny: () => memo.remembersAny() }),
      Context.add(SalesActivity, { selling: () => lanes.size > 0 })
    )
  }))
