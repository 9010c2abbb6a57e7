import { Effect, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { batchLockOrder, EventId, EventStatus, MAX_TICKETS_PER_ORDER, TicketType } from "@ticketmania/domain"
import type { EventSaleState, PurchaseRequest, SaleStock, TicketTypeId } from "@ticketmania/domain"
import { rowDecoder } from "../sql/rows.ts"
import { RememberedList, rememberedJson, rememberedKeys, type RememberedKeys, type ScopedKey } from "./idempotency.ts"

const decodeTicketType = rowDecoder(TicketType)

const Reserved = Schema.Struct({
  events: Schema.Array(Schema.Struct({ id: EventId, title: Schema.String, status: EventStatus, startTime: Schema.DateTimeUtc })),
  remembered: RememberedList,
  orderIds: Schema.Array(Schema.Int),
  ticketIds: Schema.Array(Schema.Int)
})
const decodeReserved = rowDecoder(Reserved)

/** The locked stock a batch is decided against, and the ids its orders and tickets may take. */
export interface LockedStock {
  readonly stock: SaleStock
  /** What the batch's keys remember. */
  readonly remembered: RememberedKeys
  /** Ascending, one per request that may sell. */
  readonly orderIds: ReadonlyArray<number>
  /** Ascending, as many as those requests can issue at most. */
  readonly ticketIds: ReadonlyArray<number>
}

/** Tickets a request can issue at most (an order is capped whatever it asks). */
const mostTickets = (request: PurchaseRequest) =>
  Math.min(request.lines.reduce((n, l) => n + Math.max(0, l.quantity), 0), MAX_TICKETS_PER_ORDER)

/** The events of the requests, as JSON (startTime in ISO UTC); `lock` adds a row lock to the read. */
const eventsJson = (sql: SqlClient.SqlClient, eventIds: ReadonlyArray<number>, lock: boolean) => sql`
  (SELECT COALESCE(json_agg(json_build_object('id', e.id, 'title', e.title, 'status', e.status,
    'startTime', to_char(e.start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]'::json)
   FROM (SELECT id, title, status, start_time FROM events WHERE id = ANY(${eventIds}::int8[])
         ${lock ? sql`FOR SHARE` : sql``}) e)`

/** Ids for an order per request and for as many tickets as they can issue at most, from the sequences. */
const reservedIds = (sql: SqlClient.SqlClient, requests: ReadonlyArray<PurchaseRequest>) => {
  const tickets = requests.reduce((n, r) => n + mostTickets(r), 0)
  return sql`
    ARRAY(SELECT nextval('orders_id_seq') FROM generate_series(1, ${requests.length}::int) ORDER BY 1) AS "orderIds",
    ARRAY(SELECT nextval('tickets_id_seq') FROM generate_series(1, ${tickets}::int) ORDER BY 1) AS "ticketIds"`
}

const eventIdsOf = (requests: ReadonlyArray<PurchaseRequest>) => [...new Set(requests.flatMap((r) => r.lines.map((l) => l.eventId)))]

const saleState = (reserved: typeof Reserved.Type) => ({
  events: new Map(reserved.events.map((e): [EventId, EventSaleState] => [e.id, e])),
  remembered: rememberedKeys(reserved.remembered),
  orderIds: reserved.orderIds,
  ticketIds: reserved.ticketIds
})

/** The keys of a batch, read with its stock: held (their advisory locks taken) and as of when. */
export interface BatchKeys {
  readonly held: ReadonlyArray<ScopedKey>
  readonly now: Date
}

/**
 * Reads the sale state of the requests' events, what the keys remember, and reserves ids for an
 * order per request and for as many tickets as they can issue: one round trip, no lock.
 */
export const readSaleState = Effect.fnUntraced(function*(
  sql: SqlClient.SqlClient,
  requests: ReadonlyArray<PurchaseRequest>,
  keys: BatchKeys
) {
  const [row] = yield* sql`
    SELECT ${eventsJson(sql, eventIdsOf(requests), false)} AS events, ${rememberedJson(sql, keys.held, keys.now)} AS remembered,
      ${reservedIds(sql, requests)}`
  return saleState(yield* decodeReserved(row))
})

/**
 * Locks every ticket type the requests touch, once, in ascending id order (`batchLockOrder`), so
 * two batches over the same types always queue and never deadlock, and in the same statement reads
 * the requests' events, what the held keys remember (`rememberedJson`) and reserves the ids: one
 * round trip, the only one before the decision while the rows are locked.
 *
 * The events are read `FOR SHARE`: a statement's snapshot predates its wait for the inventory
 * lock, and a row lock is what makes the read current — read before the wait, the share lock
 * keeps any change out until the batch commits; changed during the wait, the row is re-read at
 * its latest version. Share locks do not conflict with each other, so batches never wait on the
 * events. The keys need no such care: their advisory locks were taken in an earlier statement, so
 * no record of theirs can be committed after this statement's snapshot. Requests that turn out to
 * be replays have their ticket types locked too (what a key remembers is known only with the
 * lock): a replay-only batch waits for the stock it does not need, a price paid only by retries.
 * When none of the ticket types exists there is no row to carry the rest, and they are read on
 * their own.
 */
export const lockStock = Effect.fnUntraced(function*(
  sql: SqlClient.SqlClient,
  requests: ReadonlyArray<PurchaseRequest>,
  keys: BatchKeys
) {
  const rows = yield* sql`
    SELECT id, event_id AS "eventId", name, price, currency, total_qty AS "totalQty", sold_qty AS "soldQty",
      max_per_order AS "maxPerOrder", ${eventsJson(sql, eventIdsOf(requests), true)} AS events,
      ${rememberedJson(sql, keys.held, keys.now)} AS remembered, ${reservedIds(sql, requests)}
    FROM ticket_types WHERE id = ANY(${batchLockOrder(requests)}::int8[]) ORDER BY id FOR UPDATE OF ticket_types`
  const types = yield* Effect.forEach(rows, decodeTicketType)
  const { events, orderIds, ticketIds, remembered } = rows[0] === undefined
    ? yield* readSaleState(sql, requests, keys)
    : saleState(yield* decodeReserved(rows[0]))
  const stock: SaleStock = { events, ticketTypes: new Map(types.map((t): [TicketTypeId, TicketType] => [t.id, t])) }
  return { stock, remembered, orderIds, ticketIds } satisfies LockedStock
})
