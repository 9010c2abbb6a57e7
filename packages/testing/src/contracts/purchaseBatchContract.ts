import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { EventId, IdempotencyKey, type PurchaseFailure, type PurchaseOutcome, TicketInventory } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand, ticketTypeAt, ticketTypesOf } from "../fixtures.ts"
import type { ContractOptions, StoragePorts } from "./StoragePorts.ts"

/** A result as a short label: `sold`, `replayed`, or the error's tag. */
const label = (result: Result.Result<PurchaseOutcome, PurchaseFailure> | undefined): string =>
  result === undefined ? "missing" : Result.isFailure(result) ? result.failure._tag : result.success.replayed ? "replayed" : "sold"

const orderOf = (result: Result.Result<PurchaseOutcome, PurchaseFailure> | undefined) =>
  result !== undefined && Result.isSuccess(result) ? result.success.receipt.order.id : undefined

/** `TicketInventory.purchaseMany`: a batch decided in arrival order in one transaction. */
export const purchaseBatchContract = <E>(
  name: string,
  storage: Layer.Layer<StoragePorts, E>,
  options: ContractOptions = {}
) =>
  layer(storage, { excludeTestServices: true, timeout: options.timeout ?? 60_000 })(
    `TicketInventory batches (${name})`,
    (it) => {
      it.effect("answers each purchase of a mixed batch on its own: valid, invalid, sold out, replayed, reused", () =>
        Effect.gen(function*() {
          const organizer = yield* makeUser()
          const event = yield* makeEvent(organizer.id, {
            ticketTypes: [{ name: "Floor", totalQty: 5, maxPerOrder: 4 }, { name: "Balcony", totalQty: 10 }]
          })
          const draft = yield* makeEvent(organizer.id, { status: "draft" })
          const floor = yield* ticketTypeAt(event.ticketTypes, 0)
          const balcony = yield* ticketTypeAt(event.ticketTypes, 1)
          const inventory = yield* TicketInventory
          const earlier = { key: IdempotencyKey.make(`earlier-${event.id}`), fingerprint: "earlier" }
          const first = yield* inventory.purchase(yield* purchaseCommand([line(balcony, 1)], { idempotency: earlier }))
          const fresh = { key: IdempotencyKey.make(`fresh-${event.id}`), fingerprint: "fresh" }

          const { results, stock } = yield* inventory.purchaseMany([
            yield* purchaseCommand([line(floor, 2)]), // 0: sells, 3 left
            yield* purchaseCommand([line(floor, 5)]), // 1: over the per-order maximum
            yield* purchaseCommand([line(floor, 4)]), // 2: only 3 left
            yield* purchaseCommand([line(yield* ticketTypeAt(draft.ticketTypes, 0), 1)]), // 3: a draft
            yield* purchaseCommand([{ ...line(floor, 1), eventId: EventId.make(1_999_999_999) }]), // 4: no such event
            yield* purchaseCommand([line(balcony, 1)], { idempotency: earlier }), // 5: retry of a sale before the batch
            yield* purchaseCommand([line(balcony, 3)], { idempotency: { ...earlier, fingerprint: "other" } }), // 6
            yield* purchaseCommand([line(floor, 3), line(balcony, 2)], { idempotency: fresh }), // 7: sells the last Floor
            yield* purchaseCommand([line(floor, 3), line(balcony, 2)], { idempotency: fresh }), // 8: retry within the batch
            yield* purchaseCommand([line(floor, 1)]) // 9: none left
          ])

          assert.deepStrictEqual(results.map(label), [
            "sold",
            "ValidationFailed",
            "SoldOut",
            "NotOnSale",
            "EventNotFound",
            "replayed",
            "IdempotencyKeyReused",
            "sold",
            "replayed",
            "SoldOut"
          ])
          const short = results[2]
          if (short !== undefined && Result.isFailure(short) && short.failure._tag === "SoldOut") {
            assert.deepStrictEqual([short.failure.asked, short.failure.left], [4, 3])
          }
          assert.strictEqual(orderOf(results[5]), first.receipt.order.id)
          assert.strictEqual(orderOf(results[8]), orderOf(results[7]))
          const sold = [results[0], results[7]].flatMap((r) => (r !== undefined && Result.isSuccess(r) ? [r.success.receipt] : []))
          assert.deepStrictEqual(sold.map((r) => r.tickets.length), [2, 5])
          assert.strictEqual(new Set(sold.flatMap((r) => r.tickets.map((t) => t.code))).size, 7)
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [5, 3])
          const left = [...stock.ticketTypes.values()].filter((t) => t.eventId === event.id)
          assert.deepStrictEqual(left.map((t) => [t.name, t.soldQty]), [["Floor", 5], ["Balcony", 3]], "the stock the batch left")
        }))

      it.effect("gives a key refused in a batch a fresh decision later in the same batch", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 2 }] })
          const type = yield* ticketTypeAt(event.ticketTypes, 0)
          const key = IdempotencyKey.make(`refused-${event.id}`)
          const { results } = yield* (yield* TicketInventory).purchaseMany([
            yield* purchaseCommand([line(type, 3)], { idempotency: { key, fingerprint: "too-many" } }),
            yield* purchaseCommand([line(type, 2)], { idempotency: { key, fingerprint: "fits" } })
          ])
          assert.deepStrictEqual(results.map(label), ["SoldOut", "sold"])
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [2])
        }))

      it.effect("sells exactly the stock when batches race each other", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 37 }] })
          const type = yield* ticketTypeAt(event.ticketTypes, 0)
          const inventory = yield* TicketInventory
          const batches = yield* Effect.forEach(Array.from({ length: 8 }), () =>
            Effect.forEach(Array.from({ length: 10 }), (_, i) => purchaseCommand([line(type, 1 + (i % 2))])))
          const outcomes = yield* Effect.forEach(batches, (b) => inventory.purchaseMany(b), { concurrency: "unbounded" })
          const sold = outcomes.flatMap((o) => o.results).reduce((n, r) => n + (Result.isSuccess(r) ? r.success.receipt.tickets.length : 0), 0)
          assert.strictEqual(sold, 37)
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [37])
        }))
    }
  )
