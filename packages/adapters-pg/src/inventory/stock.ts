import { Effect, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { EventId, EventStatus, MAX_TICKETS_PER_ORDER, lockOrder, TicketType } from "@ticketmania/domain"
import type { EventSaleState, PurchaseRequest, SaleStock, TicketTypeId } from "@ticketmania/domain"
import { rowDecoder } from "../sql/rows.ts"

const decodeTicketType = rowDecoder(TicketType)

const Reserved = Schema.Struct({
  events: Schema.Array(Schema.Struct({ id: EventId, title: Schema.String, status: EventStatus, startTime: Schema.DateTimeUtc })),
  orderId: Schema.Int,
  ticketIds: Schema.Array(Schema.Int)
})
const decodeReserved = rowDecoder(Reserved)

/** The locked stock a purchase is decided against, and the ids its order and tickets would get. */
export interface LockedStock {
  readonly stock: SaleStock
  readonly orderId: number
  /** Ascending, one per ticket the request can issue at most. */
  readonly ticketIds: ReadonlyArray<number>
}

/**
 * Reads the sale state of the request's events and reserves the ids of the order and of as many
 * tickets as the request can issue: one round trip. Called once the inventory rows are locked, so
 * its snapshot is fresher than any status change committed while the purchase waited.
 */
export const readSaleState = Effect.fnUntraced(function*(sql: SqlClient.SqlClient, request: PurchaseRequest) {
  const eventIds = [...new Set(request.lines.map((l) => l.eventId))]
  const wanted = Math.min(request.lines.reduce((n, l) => n + Math.max(0, l.quantity), 0), MAX_TICKETS_PER_ORDER)
  const [row] = yield* sql`
    SELECT
      (SELECT COALESCE(json_agg(json_build_object('id', id, 'title', title, 'status', status,
        'startTime', to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]'::json)
       FROM events WHERE id = ANY(${eventIds}::int8[])) AS events,
      nextval('orders_id_seq') AS "orderId",
      ARRAY(SELECT nextval('tickets_id_seq') FROM generate_series(1, ${wanted}::int) ORDER BY 1) AS "ticketIds"`
  const reserved = yield* decodeReserved(row)
  return {
    events: new Map(reserved.events.map((e): [EventId, EventSaleState] => [e.id, e])),
    orderId: reserved.orderId,
    ticketIds: reserved.ticketIds
  }
})

/**
 * Locks the request's ticket types in ascending id order (`lockOrder`), so two orders over the
 * same types always queue and never deadlock; then reads the events in a second statement
 * (`readSaleState`). Reading them after the lock matters: a statement's snapshot predates any
 * wait for a lock, and a status change committed during that wait must not be missed.
 */
export const lockStock = Effect.fnUntraced(function*(sql: SqlClient.SqlClient, request: PurchaseRequest) {
  const typeRows = yield* sql`
    SELECT id, event_id AS "eventId", name, price, currency, total_qty AS "totalQty", sold_qty AS "soldQty",
      max_per_order AS "maxPerOrder"
    FROM ticket_types WHERE id = ANY(${lockOrder(request)}::int8[]) ORDER BY id FOR UPDATE`
  const types = yield* Effect.forEach(typeRows, decodeTicketType)
  const { events, orderId, ticketIds } = yield* readSaleState(sql, request)
  const stock: SaleStock = { events, ticketTypes: new Map(types.map((t): [TicketTypeId, TicketType] => [t.id, t])) }
  return { stock, orderId, ticketIds } satisfies LockedStock
})
