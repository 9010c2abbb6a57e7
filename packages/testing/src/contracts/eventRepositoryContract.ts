import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { EventId, EventRepository, type ListEventsQuery, TicketInventory } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand, uniqueMarker } from "../fixtures.ts"
import type { ContractOptions, StoragePorts } from "./StoragePorts.ts"

const query = (q: string, overrides: Partial<ListEventsQuery> = {}): ListEventsQuery => ({
  page: 1,
  limit: 20,
  q,
  from: undefined,
  to: undefined,
  availableOnly: false,
  sort: "start_time",
  ...overrides
})

/** The behaviour every `EventRepository` must have. */
export const eventRepositoryContract = <E>(
  name: string,
  storage: Layer.Layer<StoragePorts, E>,
  options: ContractOptions = {}
) =>
  layer(storage, { excludeTestServices: true, timeout: options.timeout ?? 60_000 })(
    `EventRepository contract (${name})`,
    (it) => {
      it.effect("stores an event with its ticket types in input order and finds it again", () =>
        Effect.gen(function*() {
          const organizer = yield* makeUser()
          const created = yield* makeEvent(organizer.id, {
            title: "Tech Conference",
            ticketTypes: [{ name: "VIP", price: 50000, totalQty: 100 }, { name: "Regular", price: 25000, totalQty: 500 }]
          })
          assert.strictEqual(created.organizerId, organizer.id)
          assert.deepStrictEqual(created.ticketTypes.map((tt) => [tt.name, tt.price, tt.totalQty, tt.soldQty]), [
            ["VIP", 50000, 100, 0],
            ["Regular", 25000, 500, 0]
          ])
          assert.isTrue((created.ticketTypes[0]?.id ?? 0) < (created.ticketTypes[1]?.id ?? 0))
          const found = yield* (yield* EventRepository).findById(created.id)
          assert.isTrue(Option.isSome(found))
          if (Option.isSome(found)) {
            assert.strictEqual(found.value.title, "Tech Conference")
            assert.strictEqual(found.value.date, created.date)
            assert.deepStrictEqual(found.value.ticketTypes.map((tt) => tt.id), created.ticketTypes.map((tt) => tt.id))
            assert.strictEqual(found.value.ticketTypes[0]?.availableQty, 100)
          }
        }))

      it.effect("finds nothing for an unknown id", () =>
        Effect.gen(function*() {
          assert.isTrue(Option.isNone(yield* (yield* EventRepository).findById(EventId.make(2_000_000_000))))
        }))

      it.effect("lists only published events, matching q in title or location without regard to case", () =>
        Effect.gen(function*() {
          const events = yield* EventRepository
          const organizer = yield* makeUser()
          const marker = uniqueMarker("q")
          const inTitle = yield* makeEvent(organizer.id, { title: `Jazz ${marker}` })
          const inLocation = yield* makeEvent(organizer.id, { title: "Rock night", location: `Hall ${marker}` })
          yield* makeEvent(organizer.id, { title: `Draft ${marker}`, status: "draft" })
          yield* makeEvent(organizer.id, { title: `Cancelled ${marker}`, status: "cancelled" })
          const page = yield* events.listPublished(query(marker.toUpperCase()))
          assert.strictEqual(page.total, 2)
          assert.deepStrictEqual(page.events.map((e) => e.id).sort(), [inTitle.id, inLocation.id].sort())
        }))

      it.effect("treats LIKE wildcards in q as plain text", () =>
        Effect.gen(function*() {
          const events = yield* EventRepository
          const organizer = yield* makeUser()
          const marker = uniqueMarker("w")
          const literal = yield* makeEvent(organizer.id, { title: `100%_${marker}` })
          yield* makeEvent(organizer.id, { title: `100ab${marker}` })
          const page = yield* events.listPublished(query(`100%_${marker}`))
          assert.deepStrictEqual(page.events.map((e) => e.id), [literal.id])
        }))

      it.effect("sorts by start time, title or creation, both ways, and pages stably", () =>
        Effect.gen(function*() {
          const events = yield* EventRepository
          const organizer = yield* makeUser()
          const marker = uniqueMarker("s")
          const c = yield* makeEvent(organizer.id, { title: `c ${marker}`, startsInDays: 10 })
          const a = yield* makeEvent(organizer.id, { title: `a ${marker}`, startsInDays: 30 })
          const b = yield* makeEvent(organizer.id, { title: `b ${marker}`, startsInDays: 20 })
          const ids = (sort: ListEventsQuery["sort"]) =>
            Effect.map(events.listPublished(query(marker, { sort })), (p) => p.events.map((e) => e.id))
          assert.deepStrictEqual(yield* ids("start_time"), [c.id, b.id, a.id])
          assert.deepStrictEqual(yield* ids("-start_time"), [a.id, b.id, c.id])
          assert.deepStrictEqual(yield* ids("title"), [a.id, b.id, c.id])
          assert.deepStrictEqual(yield* ids("-title"), [c.id, b.id, a.id])
          assert.deepStrictEqual(yield* ids("created_at"), [c.id, a.id, b.id])
          assert.deepStrictEqual(yield* ids("-created_at"), [b.id, a.id, c.id])
          const first = yield* events.listPublished(query(marker, { limit: 2, page: 1, sort: "title" }))
          const second = yield* events.listPublished(query(marker, { limit: 2, page: 2, sort: "title" }))
          const third = yield* events.listPublished(query(marker, { limit: 2, page: 3, sort: "title" }))
          assert.deepStrictEqual(first.events.map((e) => e.id), [a.id, b.id])
          assert.deepStrictEqual(second.events.map((e) => e.id), [c.id])
          assert.deepStrictEqual(third.events, [])
          assert.strictEqual(third.total, 3)
        }))

      it.effect("breaks ties by id so equal sort keys never shuffle between pages", () =>
        Effect.gen(function*() {
          const events = yield* EventRepository
          const organizer = yield* makeUser()
          const marker = uniqueMarker("t")
          const made = []
          for (let i = 0; i < 4; i++) made.push((yield* makeEvent(organizer.id, { title: `same ${marker}` })).id)
          const pages = []
          for (let page = 1; page <= 4; page++) {
            const result = yield* events.listPublished(query(marker, { limit: 1, page, sort: "title" }))
            pages.push(...result.events.map((e) => e.id))
          }
          assert.deepStrictEqual(pages, [...made].sort((x, y) => x - y))
        }))

      it.effect("filters on the start date (inclusive) and on stock left", () =>
        Effect.gen(function*() {
          const events = yield* EventRepository
          const organizer = yield* makeUser()
          const marker = uniqueMarker("d")
          const soon = yield* makeEvent(organizer.id, { title: `soon ${marker}`, startsInDays: 5 })
          const later = yield* makeEvent(organizer.id, { title: `later ${marker}`, startsInDays: 50 })
          const byDate = yield* events.listPublished(query(marker, { from: later.date, to: later.date }))
          assert.deepStrictEqual(byDate.events.map((e) => e.id), [later.id])
          const upTo = yield* events.listPublished(query(marker, { to: soon.date }))
          assert.deepStrictEqual(upTo.events.map((e) => e.id), [soon.id])
          const soldOut = yield* makeEvent(organizer.id, { title: `gone ${marker}`, ticketTypes: [{ totalQty: 1 }] })
          const [onlyType] = soldOut.ticketTypes
          if (onlyType === undefined) return yield* Effect.die(new Error("fixture event without ticket type"))
          yield* (yield* TicketInventory).purchase(yield* purchaseCommand([line(onlyType, 1)]))
          const available = yield* events.listPublished(query(marker, { availableOnly: true }))
          assert.deepStrictEqual(available.events.map((e) => e.id).sort(), [soon.id, later.id].sort())
          const all = yield* events.listPublished(query(marker))
          assert.strictEqual(all.total, 3)
        }))
    }
  )
