import { DateTime } from "effect"
import type { SqlClient } from "effect/sql"
import type { Allocation, Idempotency, MailMessage, Receipt, TicketTypeId } from "@ticketmania/domain"
import { insertMail } from "../sql/mail.ts"
import { IDEMPOTENCY_TTL_MILLIS } from "./idempotency.ts"

/** Everything a decided sale writes. */
export interface Sale {
  readonly receipt: Receipt
  readonly allocation: Allocation
  /** The key to remember with the order, in its scope; null when the request carried none. */
  readonly idempotency: (Idempotency & { readonly scope: string }) | null
  readonly confirmation: MailMessage
}

// The driver cannot type an array holding only nulls (every buyer a guest): a guest travels as 0,
// which no user id is (ids are positive), and NULLIF turns it back into NULL.
const userIdParam = (userId: number | null): number => userId ?? 0

const dateOf = (receipt: Receipt) => DateTime.toDateUtc(receipt.order.createdAt)

/** Tickets taken per type by all the sales together. */
const takenByType = (sales: ReadonlyArray<Sale>) => {
  const taken = new Map<TicketTypeId, number>()
  for (const { allocation } of sales) {
    for (const t of allocation.takes) taken.set(t.ticketTypeId, (taken.get(t.ticketTypeId) ?? 0) + t.quantity)
  }
  return [...taken].sort(([a], [b]) => a - b)
}

/**
 * Writes the decided sales of a batch in ONE statement, whatever their number and size: all orders
 * and all tickets (multi-row inserts from arrays), the new sold count of every type (one UPDATE …
 * FROM unnest of the quantities summed per type), the idempotency records (taking over a key
 * whose record expired) and the confirmation mails. One round trip while the inventory rows are
 * locked keeps the lock short; the statement has a fixed text (one array per column), so it is
 * prepared once per connection; the CHECK on sold_qty still guards the update.
 */
export const recordSales = (sql: SqlClient.SqlClient, sales: ReadonlyArray<Sale>) => {
  const orders = sales.map((s) => s.receipt.order)
  const tickets = sales.flatMap((s) => s.receipt.tickets.map((t) => ({ ticket: t, at: dateOf(s.receipt) })))
  const remembered = sales.flatMap((s) => (s.idempotency === null ? [] : [{ ...s.idempotency, sale: s }]))
  const taken = takenByType(sales)
  const last = sales.at(-1)
  const mailAt = last === undefined ? new Date(0) : dateOf(last.receipt)
  return sql`
    WITH new_orders AS (
      INSERT INTO orders (id, user_id, buyer_email, total_amount, currency, created_at)
      SELECT o.id, NULLIF(o.user_id, 0), o.buyer_email, o.total_amount, o.currency, o.created_at
      FROM unnest(
        ${orders.map((o) => o.id)}::int8[], ${orders.map((o) => userIdParam(o.userId))}::int8[],
        ${orders.map((o) => o.buyerEmail)}::text[], ${orders.map((o) => o.totalAmount)}::int8[],
        ${orders.map((o) => o.currency)}::text[], ${orders.map((o) => DateTime.toDateUtc(o.createdAt))}::timestamptz[]
      ) AS o(id, user_id, buyer_email, total_amount, currency, created_at)
    ), new_tickets AS (
      INSERT INTO tickets (id, order_id, event_id, ticket_type_id, user_id, status, code, buyer_email, buyer_phone,
                           price, created_at)
      SELECT t.id, t.order_id, t.event_id, t.ticket_type_id, NULLIF(t.user_id, 0), 'sold', t.code, t.buyer_email, t.buyer_phone,
        t.price, t.created_at
      FROM unnest(
        ${tickets.map(({ ticket }) => ticket.id)}::int8[], ${tickets.map(({ ticket }) => ticket.orderId)}::int8[],
        ${tickets.map(({ ticket }) => ticket.eventId)}::int8[], ${tickets.map(({ ticket }) => ticket.ticketTypeId)}::int8[],
        ${tickets.map(({ ticket }) => userIdParam(ticket.userId))}::int8[], ${tickets.map(({ ticket }) => ticket.code)}::text[],
        ${tickets.map(({ ticket }) => ticket.buyerEmail)}::text[], ${tickets.map(({ ticket }) => ticket.buyerPhone)}::text[],
        ${tickets.map(({ ticket }) => ticket.price)}::int8[], ${tickets.map(({ at }) => at)}::timestamptz[]
      ) AS t(id, order_id, event_id, ticket_type_id, user_id, code, buyer_email, buyer_phone, price, created_at)
    ), sold AS (
      UPDATE ticket_types tt SET sold_qty = tt.sold_qty + s.quantity
      FROM unnest(${taken.map(([id]) => id)}::int8[], ${taken.map(([, n]) => n)}::int4[]) AS s(id, quantity)
      WHERE tt.id = s.id
    ), remembered AS (
      INSERT INTO idempotency_keys (scope, key, fingerprint, order_id, created_at, expires_at)
      SELECT * FROM unnest(
        ${remembered.map((r) => r.scope)}::text[], ${remembered.map((r) => r.key)}::text[],
        ${remembered.map((r) => r.fingerprint)}::text[], ${remembered.map((r) => r.sale.receipt.order.id)}::int8[],
        ${remembered.map((r) => dateOf(r.sale.receipt))}::timestamptz[],
        ${remembered.map((r) => new Date(dateOf(r.sale.receipt).getTime() + IDEMPOTENCY_TTL_MILLIS))}::timestamptz[])
      -- A record already there has expired: the batch holds the key's lock and recallKeys found
      -- no live record. The sale takes the key over.
      ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, order_id = EXCLUDED.order_id,
        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
    )
    ${insertMail(sql, sales.map((s) => s.confirmation), mailAt)}`
}
