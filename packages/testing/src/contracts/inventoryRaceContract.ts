import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { IdempotencyKey, TicketInventory } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand, ticketTypeAt, ticketTypesOf } from "../fixtures.ts"
import type { ContractOptions, StoragePorts } from "./StoragePorts.ts"

/** Many buyers at once: what every `TicketInventory` must guarantee under contention. */
export const inventoryRaceContract = <E>(
  name: string,
  storage: Layer.Layer<StoragePorts, E>,
  options: ContractOptions = {}
) =>
  layer(storage, { excludeTestServices: true, timeout: options.timeout ?? 120_000 })(
    `TicketInventory races (${name})`,
    (it) => {
      it.effect("sells exactly the stock when many more buyers race for the last seats", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 25 }] })
          const type = yield* ticketTypeAt(event.ticketTypes, 0)
          const inventory = yield* TicketInventory
          const commands = yield* Effect.forEach(Array.from({ length: 80 }), () => purchaseCommand([line(type, 1)]))
          const results = yield* Effect.forEach(commands, (c) => Effect.result(inventory.purchase(c)), {
            concurrency: "unbounded"
          })
          const sold = results.flatMap((r) => (r._tag === "Success" ? [r.success.receipt] : []))
          const refused = results.flatMap((r) => (r._tag === "Failure" ? [r.failure._tag] : []))
          assert.strictEqual(sold.length, 25)
          assert.deepStrictEqual([...new Set(refused)], ["SoldOut"])
          assert.strictEqual(new Set(sold.flatMap((s) => s.tickets.map((t) => t.code))).size, 25)
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [25])
        }))

      it.effect("keeps sold equal to what the successful orders took, for mixed order sizes", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 40 }] })
          const type = yield* ticketTypeAt(event.ticketTypes, 0)
          const inventory = yield* TicketInventory
          const sizes = Array.from({ length: 60 }, (_, i) => 1 + (i % 4))
          const results = yield* Effect.forEach(
            sizes,
            (size) => Effect.flatMap(purchaseCommand([line(type, size)]), (c) => Effect.result(inventory.purchase(c))),
            { concurrency: "unbounded" }
          )
          const taken = results.reduce((n, r) => n + (r._tag === "Success" ? r.success.receipt.tickets.length : 0), 0)
          const [after] = yield* ticketTypesOf(event.id)
          assert.strictEqual(after?.soldQty, taken)
          assert.isTrue(taken <= 40 && taken >= 37, `sold ${taken} of 40 although buyers of 1 ticket were refused`)
        }))

      it.effect("completes crossing multi-type orders ([A, B] against [B, A]) without deadlock", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, {
            ticketTypes: [{ name: "A", totalQty: 100 }, { name: "B", totalQty: 100 }]
          })
          const a = yield* ticketTypeAt(event.ticketTypes, 0)
          const b = yield* ticketTypeAt(event.ticketTypes, 1)
          const inventory = yield* TicketInventory
          const results = yield* Effect.forEach(
            Array.from({ length: 40 }, (_, i) => i),
            (i) =>
              Effect.flatMap(
                purchaseCommand(i % 2 === 0 ? [line(a, 1), line(b, 1)] : [line(b, 1), line(a, 1)]),
                (c) => inventory.purchase(c)
              ),
            { concurrency: "unbounded" }
          )
          assert.strictEqual(results.length, 40)
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [40, 40])
        }))

      it.effect("sells once when the same idempotent request arrives many times at once", () =>
        Effect.gen(function*() {
          const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 50 }] })
          const type = yield* ticketTypeAt(event.ticketTypes, 0)
          const inventory = yield* TicketInventory
          const idempotency = { key: IdempotencyKey.make(`race-${event.id}`), fingerprint: "same-request" }
          const results = yield* Effect.forEach(
            Array.from({ length: 10 }),
            () => Effect.flatMap(purchaseCommand([line(type, 3)], { idempotency }), (c) => Effect.result(inventory.purchase(c))),
            { concurrency: "unbounded" }
          )
          const fresh = results.filter((r) => r._tag === "Success" && !r.success.replayed)
          assert.strictEqual(fresh.length, 1)
          assert.isTrue(results.every((r) =>
            r._tag === "Success" || r.failure._tag === "IdempotencyInProgress"
          ))
          assert.deepStrictEqual((yield* ticketTypesOf(event.id)).map((tt) => tt.soldQty), [3])
        }))
    }
  )
