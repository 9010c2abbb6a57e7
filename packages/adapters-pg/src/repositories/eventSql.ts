import type { EventSort, ListEventsQuery } from "@ticketmania/domain"
import type { SqlClient } from "effect/sql"

/**
 * The columns of an event row aliased `e`, with its ticket types (ordered by id) as one JSON
 * array from `types` (aliased `t`): events and their types load in one query, never N+1.
 */
export const eventColumns = (types: "ticket_types" | "new_types") => `
  e.id, e.title, e.description, e.location, e.date, e.start_time AS "startTime", e.end_time AS "endTime",
  e.status, e.organizer_id AS "organizerId", e.created_at AS "createdAt", e.updated_at AS "updatedAt",
  COALESCE((
    SELECT json_agg(json_build_object(
      'id', t.id, 'eventId', t.event_id, 'name', t.name, 'price', t.price, 'currency', t.currency,
      'totalQty', t.total_qty, 'soldQty', t.sold_qty, 'maxPerOrder', t.max_per_order
    ) ORDER BY t.id)
    FROM ${types} t WHERE t.event_id = e.id
  ), '[]'::json) AS "ticketTypes"`

// Only these texts ever reach ORDER BY. Ties go by id in the sort's direction, so pages are
// stable; titles compare by code point (COLLATE "C"), matching the listing index.
const ORDER_BY: Record<EventSort, string> = {
  "start_time": "e.start_time ASC, e.id ASC",
  "-start_time": "e.start_time DESC, e.id DESC",
  "title": `e.title COLLATE "C" ASC, e.id ASC`,
  "-title": `e.title COLLATE "C" DESC, e.id DESC`,
  "created_at": "e.created_at ASC, e.id ASC",
  "-created_at": "e.created_at DESC, e.id DESC"
}

/** `q` as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally. */
export const containsPattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const startOfUtcDay = (date: string, plusDays = 0): Date =>
  new Date(Date.parse(`${date}T00:00:00Z`) + plusDays * 86_400_000)

/** The WHERE clause of the listing: published events matching every filter of `query`. */
export const listingFilter = (sql: SqlClient.SqlClient, query: ListEventsQuery) => {
  const clauses = [sql`e.status = 'published'`]
  if (query.q !== undefined) {
    const pattern = containsPattern(query.q)
    clauses.push(sql`(e.title ILIKE ${pattern} ESCAPE '\\' OR e.location ILIKE ${pattern} ESCAPE '\\')`)
  }
  // Dates are UTC calendar days of the start, both inclusive; as a range on start_time the
  // listing index still serves them.
  if (query.from !== undefined) clauses.push(sql`e.start_time >= ${startOfUtcDay(query.from)}`)
  if (query.to !== undefined) clauses.push(sql`e.start_time < ${startOfUtcDay(query.to, 1)}`)
  if (query.availableOnly) {
    clauses.push(sql`EXISTS (SELECT 1 FROM ticket_types a WHERE a.event_id = e.id AND a.sold_qty < a.total_qty)`)
  }
  return sql.and(clauses)
}

/** The ORDER BY list for `sort`. */
export const listingOrder = (sql: SqlClient.SqlClient, sort: EventSort) => sql.literal(ORDER_BY[sort])

/** OFFSET of a page; clamped so an absurd page number is an empty page, not an overflow. */
export const pageOffset = (query: ListEventsQuery): number =>
  Math.min((query.page - 1) * query.limit, Number.MAX_SAFE_INTEGER)
