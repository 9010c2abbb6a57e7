import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { EventId, IdempotencyKey, TicketInventory, TicketTypeId } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand, ticketTypeAt, ticketTypesOf } from "../fixtures.ts"
import { inventoryRaceContract } from "./inventoryRaceContract.ts"
import { purchaseBatchContract } from "./purchaseBatchContract.ts"
import type { ContractOptions, StoragePorts } from "./StoragePorts.ts"

/** The behaviour every `TicketInventory` must have, races included. */
export const ticketInventoryContract = <E>(
  name: string,
  storage: Layer.Layer<StoragePorts, E>,
  options: ContractOptions = {}
) => {
  layer(storage, { excludeTestServices: true, timeout: options.timeout ?? 60_000 })(
    `TicketInventory contract (${name})`,
    (it) => {
      it.effect("sells tickets: one order, one ticket per seat with unique codes, sold count raised", () =>
        Effect.gen(function*() {
          const buyer = yield* makeUser("Bo Buyer")
          const event = yield* makeEvent((yield* makeUser()).id, {
            ticketTypes: [{ name: "VIP", price: 50000, totalQty: 10 }, { name: "Regular", price: 25000, totalQty: 10 }]
          })
          const vip = yield* ticketTypeAt(event.ticketTypes)
          const regular = yield* ticketTypeAt(event.ticketTypes, 1)
          const { receipt, replayed } = yield* (yield* TicketInventory).purchase(
            yield* purchaseCommand([line(vip, 2), line(regular, 3)], { userId: buyer.id })
          )
          assert.isFalse(replayed)
          assert.strictEqual(receipt.order.totalAmount, 2 * 50000 + 3 * 25000)
          assert.strictEqual(receipt.order.currency, "NGN")
          assert.strictEqual(receipt.order.userId, buyer.id)
          assert.strictEqual(receipt.tickets.length, 5)
          assert.deepStrictEqual(receipt.tickets.map((t) => t.ticketTypeId), [vip.id, vip.id, regular.id, regular.id, regular.id])
          assert.isTrue(receipt.tickets.every((t) => t.orderId === receipt.order.id && t.status === "sold"))
          assert.isTrue(receipt.tickets.every((t) => t.userId === buyer.id && t.eventId === event.id))
          assert.strictEqual(new Set(receipt.tickets.map((t) => t.code)).size, 5)
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [2, 3])
        }))

      it.effect("refuses more than is left, naming type, asked and left, and sells nothing of the order", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, {
            ticketTypes: [{ name: "A", totalQty: 5 }, { name: "B", totalQty: 2 }]
          })
          const a = yield* ticketTypeAt(event.ticketTypes)
          const b = yield* ticketTypeAt(event.ticketTypes, 1)
          const error = yield* Effect.flip(
            (yield* TicketInventory).purchase(yield* purchaseCommand([line(a, 2), line(b, 3)]))
          )
          assert.strictEqual(error._tag, "SoldOut")
          if (error._tag === "SoldOut") {
            assert.deepStrictEqual([error.ticketTypeId, error.ticketTypeName, error.asked, error.left], [b.id, "B", 3, 2])
          }
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [0, 0])
        }))

      it.effect("merges duplicate lines of one type before checking stock and the per-order maximum", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 5, maxPerOrder: 10 }] })
          const type = yield* ticketTypeAt(event.ticketTypes)
          const inventory = yield* TicketInventory
          const soldOut = yield* Effect.flip(inventory.purchase(yield* purchaseCommand([line(type, 3), line(type, 3)])))
          assert.strictEqual(soldOut._tag, "SoldOut")
          if (soldOut._tag === "SoldOut") assert.deepStrictEqual([soldOut.asked, soldOut.left], [6, 5])
          const capped = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 50, maxPerOrder: 4 }] })
          const cappedType = yield* ticketTypeAt(capped.ticketTypes)
          const tooMany = yield* Effect.flip(
            inventory.purchase(yield* purchaseCommand([line(cappedType, 3), line(cappedType, 2)]))
          )
          assert.strictEqual(tooMany._tag, "ValidationFailed")
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [0])
          assert.deepStrictEqual((yield* ticketTypesOf(capped.id)).map((tt) => tt.soldQty), [0])
        }))

      it.effect("never lets a zero or negative quantity lower the sold count", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 5 }] })
          const type = yield* ticketTypeAt(event.ticketTypes)
          const inventory = yield* TicketInventory
          yield* inventory.purchase(yield* purchaseCommand([line(type, 2)]))
          const negative = yield* Effect.flip(inventory.purchase(yield* purchaseCommand([line(type, -2)])))
          const zero = yield* Effect.flip(inventory.purchase(yield* purchaseCommand([line(type, 0)])))
          assert.deepStrictEqual([negative._tag, zero._tag], ["ValidationFailed", "ValidationFailed"])
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [2])
        }))

      it.effect("sells nothing for drafts, cancelled events, or events that have started", () =>
        Effect.gen(function*() {
          const organizer = yield* makeUser()
          const inventory = yield* TicketInventory
          for (const status of ["draft", "cancelled"] as const) {
            const event = yield* makeEvent(organizer.id, { status })
            const error = yield* Effect.flip(inventory.purchase(yield* purchaseCommand([line(yield* ticketTypeAt(event.ticketTypes), 1)])))
            assert.strictEqual(error._tag, "NotOnSale")
            if (error._tag === "NotOnSale") assert.strictEqual(error.reason, status)
          }
          const event = yield* makeEvent(organizer.id, { startsInDays: 1 })
          const afterStart = DateTime.add(event.startTime, { minutes: 1 })
          const late = yield* Effect.flip(
            inventory.purchase(yield* purchaseCommand([line(yield* ticketTypeAt(event.ticketTypes), 1)], { at: afterStart }))
          )
          assert.strictEqual(late._tag, "NotOnSale")
          if (late._tag === "NotOnSale") assert.strictEqual(late.reason, "started")
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [0])
        }))

      it.effect("refuses unknown events, unknown ticket types and ticket types of another event", () =>
        Effect.gen(function*() {
          const organizer = yield* makeUser()
          const inventory = yield* TicketInventory
          const mine = yield* makeEvent(organizer.id)
          const other = yield* makeEvent(organizer.id)
          const type = yield* ticketTypeAt(mine.ticketTypes)
          const noEvent = yield* Effect.flip(
            inventory.purchase(yield* purchaseCommand([{ ...line(type, 1), eventId: EventId.make(1_999_999_999) }]))
          )
          assert.strictEqual(noEvent._tag, "EventNotFound")
          const noType = yield* Effect.flip(
            inventory.purchase(yield* purchaseCommand([{ ...line(type, 1), ticketTypeId: TicketTypeId.make(1_999_999_999) }]))
          )
          assert.strictEqual(noType._tag, "TicketTypeNotFound")
          const foreign = yield* Effect.flip(inventory.purchase(yield* purchaseCommand([{ ...line(type, 1), eventId: other.id }])))
          assert.strictEqual(foreign._tag, "TicketTypeNotFound")
        }))

      it.effect("refuses an order mixing currencies", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, {
            ticketTypes: [{ name: "Naira", currency: "NGN" }, { name: "Euro", currency: "EUR" }]
          })
          const error = yield* Effect.flip((yield* TicketInventory).purchase(
            yield* purchaseCommand([line(yield* ticketTypeAt(event.ticketTypes), 1), line(yield* ticketTypeAt(event.ticketTypes, 1), 1)])
          ))
          assert.strictEqual(error._tag, "ValidationFailed")
        }))

      it.effect("replays a retried request with the same key, and refuses the key for another request", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 10 }] })
          const type = yield* ticketTypeAt(event.ticketTypes)
          const inventory = yield* TicketInventory
          const key = IdempotencyKey.make(`key-${event.id}`)
          const first = yield* inventory.purchase(
            yield* purchaseCommand([line(type, 2)], { idempotency: { key, fingerprint: "request-a" } })
          )
          const again = yield* inventory.purchase(
            yield* purchaseCommand([line(type, 2)], { idempotency: { key, fingerprint: "request-a" } })
          )
          assert.isTrue(again.replayed)
          assert.strictEqual(again.receipt.order.id, first.receipt.order.id)
          assert.deepStrictEqual(again.receipt.tickets.map((t) => t.code), first.receipt.tickets.map((t) => t.code))
          const reused = yield* Effect.flip(inventory.purchase(
            yield* purchaseCommand([line(type, 3)], { idempotency: { key, fingerprint: "request-b" } })
          ))
          assert.strictEqual(reused._tag, "IdempotencyKeyReused")
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [2])
        }))
    }
  )
  inventoryRaceContract(name, storage, options)
  purchaseBatchContract(name, storage, options)
}
