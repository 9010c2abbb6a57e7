import { Effect, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { batchLockOrder, EventId, EventStatus, MAX_TICKETS_PER_ORDER, TicketType } from "@ticketmania/domain"
import type { EventSaleState, PurchaseRequest, SaleStock, TicketTypeId } from "@ticketmania/domain"
import { rowDecoder } from "../sql/rows.ts"

const decodeTicketType = rowDecoder(TicketType)

const Reserved = Schema.Struct({
  events: Schema.Array(Schema.Struct({ id: EventId, title: Schema.String, status: EventStatus, startTime: Schema.DateTimeUtc })),
  orderIds: Schema.Array(Schema.Int),
  ticketIds: Schema.Array(Schema.Int)
})
const decodeReserved = rowDecoder(Reserved)

/** The locked stock a batch is decided against, and the ids its orders and tickets may take. */
export interface LockedStock {
  readonly stock: SaleStock
  /** Ascending, one per request that may sell. */
  readonly orderIds: ReadonlyArray<number>
  /** Ascending, as many as those requests can issue at most. */
  readonly ticketIds: ReadonlyArray<number>
}

/** Tickets a request can issue at most (an order is capped whatever it asks). */
const mostTickets = (request: PurchaseRequest) =>
  Math.min(request.lines.reduce((n, l) => n + Math.max(0, l.quantity), 0), MAX_TICKETS_PER_ORDER)

/**
 * Reads the sale state of the requests' events and reserves ids for an order per request and for
 * as many tickets as they can issue: one round trip. Called once the inventory rows are locked, so
 * its snapshot is fresher than any status change committed while the batch waited.
 */
export const readSaleState = Effect.fnUntraced(function*(sql: SqlClient.SqlClient, requests: ReadonlyArray<PurchaseRequest>) {
  const eventIds = [...new Set(requests.flatMap((r) => r.lines.map((l) => l.eventId)))]
  const tickets = requests.reduce((n, r) => n + mostTickets(r), 0)
  const [row] = yield* sql`
    SELECT
      (SELECT COALESCE(json_agg(json_build_object('id', id, 'title', title, 'status', status,
        'startTime', to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]'::json)
       FROM events WHERE id = ANY(${eventIds}::int8[])) AS events,
      ARRAY(SELECT nextval('orders_id_seq') FROM generate_series(1, ${requests.length}::int) ORDER BY 1) AS "orderIds",
      ARRAY(SELECT nextval('tickets_id_seq') FROM generate_series(1, ${tickets}::int) ORDER BY 1) AS "ticketIds"`
  const reserved = yield* decodeReserved(row)
  return {
    events: new Map(reserved.events.map((e): [EventId, EventSaleState] => [e.id, e])),
    orderIds: reserved.orderIds,
    ticketIds: reserved.ticketIds
  }
})

/**
 * Locks every ticket type the requests touch, once, in ascending id order (`batchLockOrder`), so
 * two batches over the same types always queue and never deadlock; then reads the events in a
 * second statement (`readSaleState`). Reading them after the lock matters: a statement's snapshot
 * predates any wait for a lock, and a status change committed during that wait must not be missed.
 */
export const lockStock = Effect.fnUntraced(function*(sql: SqlClient.SqlClient, requests: ReadonlyArray<PurchaseRequest>) {
  const typeRows = yield* sql`
    SELECT id, event_id AS "eventId", name, price, currency, total_qty AS "totalQty", sold_qty AS "soldQty",
      max_per_order AS "maxPerOrder"
    FROM ticket_types WHERE id = ANY(${batchLockOrder(requests)}::int8[]) ORDER BY id FOR UPDATE`
  const types = yield* Effect.forEach(typeRows, decodeTicketType)
  const { events, orderIds, ticketIds } = yield* readSaleState(sql, requests)
  const stock: SaleStock = { events, ticketTypes: new Map(types.map((t): [TicketTypeId, TicketType] => [t.id, t])) }
  return { stock, orderIds, ticketIds } satisfies LockedStock
})
