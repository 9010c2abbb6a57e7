import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { Event, EventRepository } from "@ticketmania/domain"
import type { EventId, ListEventsQuery, NewEvent } from "@ticketmania/domain"
import { decodeAll, rowDecoder } from "../sql/rows.ts"
import { eventColumns, listingFilter, listingOrder, pageOffset } from "./eventSql.ts"

/** `EventRepository` on PostgreSQL. Needs a `SqlClient` on a migrated database. */
export const PgEventRepository = Layer.effect(
  EventRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const decodeEvent = rowDecoder(Event)
    const stored = sql.literal(eventColumns("ticket_types"))

    // The event and all its ticket types in one statement; ticket types are inserted in input
    // order, so their ids follow it.
    const create = Effect.fn("PgEventRepository.create")(function*(event: NewEvent) {
      const now = DateTime.toDateUtc(yield* DateTime.now)
      const types = event.ticketTypes
      const rows = yield* sql`
        WITH new_event AS (
          INSERT INTO events (title, description, location, date, start_time, end_time, status, organizer_id,
                              created_at, updated_at)
          VALUES (${event.title}, ${event.description}, ${event.location}, ${event.date}::date,
                  ${DateTime.toDateUtc(event.startTime)}, ${DateTime.toDateUtc(event.endTime)}, ${event.status},
                  ${event.organizerId}, ${now}, ${now})
          RETURNING *
        ), new_types AS (
          INSERT INTO ticket_types (event_id, name, price, currency, total_qty, max_per_order)
          SELECT ne.id, x.name, x.price, x.currency, x.total_qty, x.max_per_order
          FROM new_event ne, unnest(
            ${types.map((t) => t.name)}::text[], ${types.map((t) => t.price)}::int8[],
            ${types.map((t) => t.currency)}::text[], ${types.map((t) => t.totalQty)}::int4[],
            ${types.map((t) => t.maxPerOrder)}::int4[]
          ) WITH ORDINALITY AS x(name, price, currency, total_qty, max_per_order, n)
          ORDER BY x.n
          RETURNING *
        )
        SELECT ${sql.literal(eventColumns("new_types"))} FROM new_event e`.pipe(Effect.orDie)
      return yield* decodeEvent(rows[0])
    })

    const findById = Effect.fn("PgEventRepository.findById")(function*(id: EventId) {
      const rows = yield* sql`SELECT ${stored} FROM events e WHERE e.id = ${id}`.pipe(Effect.orDie)
      return rows.length === 0 ? Option.none<Event>() : Option.some(yield* decodeEvent(rows[0]))
    })

    // One query for the page and the total (a window count over every match); ticket types are
    // joined to the page only. A page past the end has no row to carry the total: count apart.
    const listPublished = Effect.fn("PgEventRepository.listPublished")(function*(query: ListEventsQuery) {
      const where = listingFilter(sql, query)
      const order = listingOrder(sql, query.sort)
      const offset = pageOffset(query)
      const rows = yield* sql<{ readonly total: bigint }>`
        WITH page AS (
          SELECT e.*, count(*) OVER () AS total FROM events e
          WHERE ${where} ORDER BY ${order} LIMIT ${query.limit} OFFSET ${offset}
        )
        SELECT ${stored}, e.total FROM page e ORDER BY ${order}`.pipe(Effect.orDie)
      const events = yield* decodeAll(decodeEvent, rows)
      const first = rows[0]
      if (first !== undefined) return { events, total: Number(first.total) }
      if (offset === 0) return { events, total: 0 }
      const counted = yield* sql<{ readonly total: bigint }>`
        SELECT count(*) AS total FROM events e WHERE ${where}`.pipe(Effect.orDie)
      return { events, total: Number(counted[0]?.total ?? 0) }
    })

    return EventRepository.of({ create, findById, listPublished })
  })
)
