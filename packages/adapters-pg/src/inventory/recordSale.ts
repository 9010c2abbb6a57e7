import { DateTime } from "effect"
import type { SqlClient } from "effect/sql"
import type { Allocation, Idempotency, MailMessage, Receipt } from "@ticketmania/domain"
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

/**
 * Writes a decided sale in ONE statement, whatever the number of tickets: the order, all its
 * tickets (one multi-row insert from arrays), the new sold counts of every type (one UPDATE …
 * FROM unnest), the idempotency record and the confirmation mail. One round trip while the
 * inventory rows are locked keeps the lock short; the CHECK on sold_qty still guards the update.
 */
export const recordSale = (sql: SqlClient.SqlClient, sale: Sale) => {
  const { order, tickets } = sale.receipt
  const at = DateTime.toDateUtc(order.createdAt)
  const expires = new Date(at.getTime() + IDEMPOTENCY_TTL_MILLIS)
  const remember = sale.idempotency
  return sql`
    WITH new_order AS (
      INSERT INTO orders (id, user_id, buyer_email, total_amount, currency, created_at)
      VALUES (${order.id}, ${order.userId}::int8, ${order.buyerEmail}, ${order.totalAmount}, ${order.currency}, ${at})
    ), new_tickets AS (
      INSERT INTO tickets (id, order_id, event_id, ticket_type_id, user_id, status, code, buyer_email, buyer_phone,
                           price, created_at)
      SELECT t.id, ${order.id}, t.event_id, t.ticket_type_id, ${order.userId}::int8, 'sold', t.code, t.buyer_email,
        t.buyer_phone, t.price, ${at}
      FROM unnest(
        ${tickets.map((t) => t.id)}::int8[], ${tickets.map((t) => t.eventId)}::int8[],
        ${tickets.map((t) => t.ticketTypeId)}::int8[], ${tickets.map((t) => t.code)}::text[],
        ${tickets.map((t) => t.buyerEmail)}::text[], ${tickets.map((t) => t.buyerPhone)}::text[],
        ${tickets.map((t) => t.price)}::int8[]
      ) AS t(id, event_id, ticket_type_id, code, buyer_email, buyer_phone, price)
    ), sold AS (
      UPDATE ticket_types tt SET sold_qty = tt.sold_qty + s.quantity
      FROM unnest(${sale.allocation.takes.map((t) => t.ticketTypeId)}::int8[],
                  ${sale.allocation.takes.map((t) => t.quantity)}::int4[]) AS s(id, quantity)
      WHERE tt.id = s.id
    ), remembered AS (
      INSERT INTO idempotency_keys (scope, key, fingerprint, order_id, created_at, expires_at)
      SELECT ${remember?.scope ?? null}::text, ${remember?.key ?? null}::text, ${remember?.fingerprint ?? null}::text,
        ${order.id}, ${at}, ${expires}
      WHERE ${remember?.key ?? null}::text IS NOT NULL
    )
    ${insertMail(sql, [sale.confirmation], at)}`
}
