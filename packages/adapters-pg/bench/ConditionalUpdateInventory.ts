import { Effect, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"
import { allocate, IdempotencyInProgress, IdempotencyKeyReused, SoldOut, TicketInventory, TicketType } from "@ticketmania/domain"
import type { PurchaseCommand, PurchaseOutcome, TicketTypeId } from "@ticketmania/domain"
import { PgTimeouts } from "../src/config.ts"
import { beginBatch, idempotencyScope, recallKeys, scopedKeyId } from "../src/inventory/idempotency.ts"
import { buildReceipt } from "../src/inventory/receipt.ts"
import { recordSales } from "../src/inventory/recordSale.ts"
import { readSaleState } from "../src/inventory/stock.ts"
import { retryTransient } from "../src/sql/errors.ts"
import { rowDecoder } from "../src/sql/rows.ts"

// The alternative measured against the shipped adapter: the first statement under lock is a
// conditional `UPDATE … SET sold_qty = sold_qty + n WHERE sold_qty + n <= total_qty RETURNING`,
// which takes the row locks and the stock in one go. Everything else is the shipped code, so the
// outputs (receipt, tickets, idempotency, mail) are identical. Bench-only: it commits to the
// quantities before `allocate` has seen the stock, and `UPDATE … FROM unnest` does not lock
// rows in a guaranteed order.

const decodeType = rowDecoder(TicketType)

/** Quantity per ticket type, merged, ascending by id. */
const takesOf = (command: PurchaseCommand): ReadonlyArray<readonly [TicketTypeId, number]> => {
  const totals = new Map<TicketTypeId, number>()
  for (const l of command.request.lines) totals.set(l.ticketTypeId, (totals.get(l.ticketTypeId) ?? 0) + l.quantity)
  return [...totals].sort(([a], [b]) => a - b)
}

/** `TicketInventory` with the conditional-UPDATE design. */
export const ConditionalUpdateInventory = Layer.effect(
  TicketInventory,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const soldOut = Effect.fnUntraced(function*(id: TicketTypeId, asked: number) {
      const [row] = yield* sql<{ readonly name: string; readonly left: number }>`
        SELECT name, total_qty - sold_qty AS left FROM ticket_types WHERE id = ${id}`
      return yield* new SoldOut({ ticketTypeId: id, ticketTypeName: row?.name ?? "?", asked, left: row?.left ?? 0 })
    })

    const attempt = Effect.fnUntraced(function*(command: PurchaseCommand) {
      const { request, idempotency } = command
      const scope = idempotencyScope(request)
      const keys = idempotency === null ? [] : [{ scope, key: idempotency.key }]
      const [acquired = true] = yield* beginBatch(sql, keys, yield* PgTimeouts)
      if (!acquired) return yield* new IdempotencyInProgress()
      const [key] = keys
      const remembered = key === undefined ? undefined : (yield* recallKeys(sql, keys, new Date(command.now.epochMilliseconds))).get(scopedKeyId(key))
      if (remembered !== undefined) {
        if (remembered.fingerprint !== idempotency?.fingerprint) return yield* new IdempotencyKeyReused()
        return { receipt: remembered.receipt, replayed: true } satisfies PurchaseOutcome
      }
      const takes = takesOf(command)
      const rows = yield* sql`
        UPDATE ticket_types tt SET sold_qty = tt.sold_qty + s.quantity
        FROM unnest(${takes.map(([id]) => id)}::int8[], ${takes.map(([, q]) => q)}::int4[]) AS s(id, quantity)
        WHERE tt.id = s.id AND tt.sold_qty + s.quantity <= tt.total_qty
        RETURNING tt.id, tt.event_id AS "eventId", tt.name, tt.price, tt.currency, tt.total_qty AS "totalQty",
          tt.sold_qty - s.quantity AS "soldQty", tt.max_per_order AS "maxPerOrder"`
      const types = yield* Effect.forEach(rows, decodeType)
      const missing = takes.find(([id]) => !types.some((t) => t.id === id))
      if (missing !== undefined) return yield* soldOut(missing[0], missing[1])
      const { events, orderIds: [orderId = -1], ticketIds } = yield* readSaleState(sql, [request], { held: [], now: new Date(0) })
      const stock = { events, ticketTypes: new Map(types.map((t): [TicketTypeId, TicketType] => [t.id, t])) }
      const decided = allocate(request, stock, command.now)
      if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
      const receipt = yield* buildReceipt(command, decided.success, orderId, ticketIds)
      // sold_qty was raised by the first statement already: write everything else.
      yield* recordSales(sql, [{
        receipt,
        allocation: { ...decided.success, takes: [] },
        idempotency: idempotency === null ? null : { ...idempotency, scope },
        confirmation: command.confirmation(receipt, stock)
      }])
      return { receipt, replayed: false } satisfies PurchaseOutcome
    })

    const purchase = (command: PurchaseCommand) =>
      retryTransient(sql.withTransaction(attempt(command))).pipe(Effect.catchTag("SqlError", (e) => Effect.die(e)))
    return TicketInventory.of({
      purchase,
      // Bench-only: one purchase after another (the batch path is the shipped adapter's).
      purchaseMany: (commands) =>
        Effect.map(Effect.forEach(commands, (c) => Effect.result(purchase(c))), (results) => ({
          results,
          stock: { events: new Map(), ticketTypes: new Map() }
        }))
    })
  })
)
