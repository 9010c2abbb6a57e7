import { DateTime, Effect, Layer, Option } from "effect"
import { Event, EventId, EventRepository, TicketType, TicketTypeId } from "@ticketmania/domain"
import type { EventSort, ListEventsQuery, NewEvent } from "@ticketmania/domain"
import { type EventRow, InMemoryStore, type Tables } from "./InMemoryStore.ts"

/** Joins an event row with its ticket types, ordered by id. */
export const loadEvent = (tables: Tables, row: EventRow): Event =>
  new Event({
    ...row,
    ticketTypes: [...tables.ticketTypes.values()].filter((tt) => tt.eventId === row.id).sort((a, b) => a.id - b.id)
  })

// Plain code-unit comparison, like PostgreSQL's "C" collation.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const comparator = (sort: EventSort) => (a: Event, b: Event): number => {
  const direction = sort.startsWith("-") ? -1 : 1
  const field = sort.replace(/^-/, "")
  const primary = field === "title"
    ? compareText(a.title, b.title)
    : field === "created_at"
    ? DateTime.toEpochMillis(a.createdAt) - DateTime.toEpochMillis(b.createdAt)
    : DateTime.toEpochMillis(a.startTime) - DateTime.toEpochMillis(b.startTime)
  return primary !== 0 ? primary * direction : (a.id - b.id) * direction
}

const matches = (query: ListEventsQuery) => (event: Event): boolean => {
  if (event.status !== "published") return false
  const q = query.q?.toLowerCase()
  if (q !== undefined && !event.title.toLowerCase().includes(q) && !event.location.toLowerCase().includes(q)) {
    return false
  }
  if (query.from !== undefined && event.date < query.from) return false
  if (query.to !== undefined && event.date > query.to) return false
  return !query.availableOnly || event.ticketTypes.some((tt) => tt.availableQty > 0)
}

/** `EventRepository` over the in-memory store. */
export const InMemoryEventRepository = Layer.effect(
  EventRepository,
  Effect.gen(function*() {
    const store = yield* InMemoryStore
    const { tables } = store

    const create = Effect.fn("InMemoryEventRepository.create")(function*(input: NewEvent) {
      const now = yield* DateTime.now
      return yield* store.transaction(Effect.sync(() => {
        const { ticketTypes, ...fields } = input
        const row: EventRow = { ...fields, id: EventId.make(store.nextId("event")), createdAt: now, updatedAt: now }
        tables.events.set(row.id, row)
        for (const tt of ticketTypes) {
          const id = TicketTypeId.make(store.nextId("ticketType"))
          tables.ticketTypes.set(id, new TicketType({ ...tt, id, eventId: row.id, soldQty: 0 }))
        }
        return loadEvent(tables, row)
      }))
    })

    return EventRepository.of({
      create,
      findById: (id) =>
        Effect.sync(() => Option.map(Option.fromNullishOr(tables.events.get(id)), (row) => loadEvent(tables, row))),
      listPublished: (query) =>
        Effect.sync(() => {
          const all = [...tables.events.values()].map((row) => loadEvent(tables, row)).filter(matches(query))
          all.sort(comparator(query.sort))
          const start = (query.page - 1) * query.limit
          return { events: all.slice(start, start + query.limit), total: all.length }
        })
    })
  })
)
