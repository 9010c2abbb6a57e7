import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import { Order, OrderId, Receipt, Ticket, TicketId } from "@ticketmania/domain"
import type { Allocation, PurchaseCommand } from "@ticketmania/domain"
import { rowDecoder } from "../sql/rows.ts"

const decodeReceipt = rowDecoder(Receipt)

/**
 * The receipt of a sale about to be written: ids reserved from the sequences, codes taken in
 * order, timestamps at the instant the sale was decided. Exactly what `loadReceipt` reads back
 * once it is stored, which makes a replay identical to the first reply.
 */
export const buildReceipt = Effect.fnUntraced(function*(
  command: PurchaseCommand,
  allocation: Allocation,
  orderId: number,
  ticketIds: ReadonlyArray<number>
) {
  const { request, now, codes } = command
  const order = new Order({
    id: OrderId.make(orderId),
    userId: request.userId,
    buyerEmail: allocation.buyerEmail,
    totalAmount: allocation.totalAmount,
    currency: allocation.currency,
    createdAt: now
  })
  const tickets: Array<Ticket> = []
  for (const [i, t] of allocation.tickets.entries()) {
    const id = ticketIds[i]
    const code = codes[i]
    if (id === undefined || code === undefined) {
      const count = allocation.tickets.length
      return yield* Effect.die(new Error(`${count} tickets to issue, ${codes.length} codes and ${ticketIds.length} ids`))
    }
    tickets.push(new Ticket({ ...t, id: TicketId.make(id), code, orderId: order.id, userId: request.userId, status: "sold", createdAt: now }))
  }
  return new Receipt({ order, tickets })
})

/**
 * Reads stored orders and their tickets (in id order, which is each request's order) as receipts,
 * by order id: two statements however many orders.
 */
export const loadReceipts = Effect.fnUntraced(function*(sql: SqlClient.SqlClient, orderIds: ReadonlyArray<number>) {
  const receipts = new Map<number, Receipt>()
  if (orderIds.length === 0) return receipts
  const orders = yield* sql<{ readonly id: unknown }>`
    SELECT id, user_id AS "userId", buyer_email AS "buyerEmail", total_amount AS "totalAmount", currency,
      created_at AS "createdAt"
    FROM orders WHERE id = ANY(${orderIds}::int8[])`
  const tickets = yield* sql<{ readonly orderId: unknown }>`
    SELECT id, order_id AS "orderId", event_id AS "eventId", ticket_type_id AS "ticketTypeId", user_id AS "userId",
      status, code, buyer_email AS "buyerEmail", buyer_phone AS "buyerPhone", price, created_at AS "createdAt"
    FROM tickets WHERE order_id = ANY(${orderIds}::int8[]) ORDER BY id`
  for (const order of orders) {
    const id = Number(order.id)
    receipts.set(id, yield* decodeReceipt({ order, tickets: tickets.filter((t) => Number(t.orderId) === id) }))
  }
  return receipts
})
