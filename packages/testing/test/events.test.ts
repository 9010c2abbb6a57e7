import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { InMemoryCore } from "@ticketmania/testing"
import { createEvent, EventId, getEvent, listEvents, readmeEvent, registerUser } from "./support.ts"

const organizer = (email = "org@example.com") => registerUser({ name: "Org", email, password: "securepassword123" })

describe("createEvent and getEvent", () => {
  it.effect("creates the README's event for its organizer and returns it with ticket types", () =>
    Effect.gen(function*() {
      const org = yield* organizer()
      const event = yield* createEvent(readmeEvent, org.id)
      assert.strictEqual(event.organizerId, org.id)
      assert.strictEqual(event.status, "published")
      assert.deepStrictEqual(event.ticketTypes.map((tt) => [tt.name, tt.availableQty, tt.maxPerOrder]), [
        ["VIP", 100, 10],
        ["Regular", 500, 10]
      ])
      const found = yield* getEvent(event.id, null)
      assert.strictEqual(found.title, "Tech Conference 2026")
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("shows a draft only to its organizer; to anyone else it does not exist", () =>
    Effect.gen(function*() {
      const org = yield* organizer()
      const other = yield* organizer("other@example.com")
      const draft = yield* createEvent({ ...readmeEvent, status: "draft" }, org.id)
      assert.strictEqual((yield* getEvent(draft.id, org.id)).status, "draft")
      assert.strictEqual((yield* Effect.flip(getEvent(draft.id, other.id)))._tag, "EventNotFound")
      assert.strictEqual((yield* Effect.flip(getEvent(draft.id, null)))._tag, "EventNotFound")
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("reports an unknown event", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(getEvent(EventId.make(404), null))
      assert.strictEqual(error._tag, "EventNotFound")
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("refuses invalid events, creating nothing", () =>
    Effect.gen(function*() {
      const org = yield* organizer()
      const error = yield* Effect.flip(createEvent({ ...readmeEvent, title: "" }, org.id))
      assert.strictEqual(error._tag, "ValidationFailed")
      assert.strictEqual((yield* listEvents({})).page.total, 0)
    }).pipe(Effect.provide(InMemoryCore)))
})

describe("listEvents", () => {
  it.effect("lists published events with page metadata, and an empty page past the end", () =>
    Effect.gen(function*() {
      const org = yield* organizer()
      for (let i = 0; i < 3; i++) yield* createEvent({ ...readmeEvent, title: `Event ${i}` }, org.id)
      yield* createEvent({ ...readmeEvent, status: "draft" }, org.id)
      const first = yield* listEvents({ limit: "2" })
      assert.deepStrictEqual(first.page, { currentPage: 1, perPage: 2, totalPages: 2, total: 3 })
      assert.strictEqual(first.events.length, 2)
      const beyond = yield* listEvents({ page: 9, limit: 2 })
      assert.deepStrictEqual(beyond.events, [])
      assert.strictEqual(beyond.page.total, 3)
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("names invalid parameters", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(listEvents({ limit: "0", sort: "price" }))
      assert.deepStrictEqual(Object.keys(error.fields).sort(), ["limit", "sort"])
    }).pipe(Effect.provide(InMemoryCore)))
})
