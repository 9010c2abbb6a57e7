import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import type { Context } from "effect"
import { EventId, EventRepository } from "@ticketmania/domain"
import type { ListEventsQuery } from "@ticketmania/domain"
import { makeEvent, makeUser, uniqueMarker } from "@ticketmania/testing"
import type { StoragePorts } from "@ticketmania/testing"
import { TestClock } from "effect/testing"
import { buy, makeWorld, read, soldOn, TTL } from "./support.ts"

// What the cache promises: each instance is exact about the sales it makes itself, at once,
// whatever its time to live; it is at most the time to live behind sales made elsewhere.

const listing = (q: string, availableOnly = false): ListEventsQuery => ({
  page: 1,
  limit: 20,
  q,
  from: undefined,
  to: undefined,
  availableOnly,
  sort: "start_time"
})

const twoTypes = (on: Context.Context<StoragePorts>, title?: string) =>
  Effect.provide(
    Effect.flatMap(makeUser(), (user) =>
      makeEvent(user.id, { ...(title === undefined ? {} : { title }), ticketTypes: [{ totalQty: 10 }, { totalQty: 5 }] })),
    on
  )

describe("event read cache", () => {
  it.effect("shows each sale made through it at once, without waiting for the time to live", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const event = yield* twoTypes(a)
      const [first, second] = event.ticketTypes
      if (first === undefined || second === undefined) return yield* Effect.die(new Error("fixture"))
      assert.deepStrictEqual(yield* soldOn(a, event.id), [0, 0])
      yield* buy(a, first, 3)
      assert.deepStrictEqual(yield* soldOn(a, event.id), [3, 0])
      yield* buy(a, second, 5)
      yield* buy(a, first, 1)
      const after = yield* read(a, event.id)
      assert.deepStrictEqual(after.ticketTypes.map((t) => [t.soldQty, t.availableQty]), [[4, 6], [5, 0]])
    })))

  it.effect("hands out the same event object until something about it changes", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const event = yield* twoTypes(a)
      const [first] = event.ticketTypes
      if (first === undefined) return yield* Effect.die(new Error("fixture"))
      const once = yield* read(a, event.id)
      assert.strictEqual(yield* read(a, event.id), once)
      yield* buy(a, first, 1)
      const moved = yield* read(a, event.id)
      assert.notStrictEqual(moved, once)
      assert.strictEqual(moved.ticketTypes[0]?.soldQty, 1)
      assert.strictEqual(once.ticketTypes[0]?.soldQty, 0, "a served object never changes")
    })))

  it.effect("hands out the same listing page until an event on it changes", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const marker = uniqueMarker()
      const event = yield* twoTypes(a, `Expo ${marker}`)
      const [first] = event.ticketTypes
      if (first === undefined) return yield* Effect.die(new Error("fixture"))
      const list = Effect.provide(EventRepository.use((r) => r.listPublished(listing(marker))), a)
      yield* list
      const once = yield* list
      assert.strictEqual(yield* list, once)
      yield* buy(a, first, 1)
      const moved = yield* list
      assert.notStrictEqual(moved, once)
      assert.strictEqual(moved.events[0]?.ticketTypes[0]?.soldQty, 1)
      assert.strictEqual(yield* list, moved)
    })))

  it.effect("shows sales in listing pages at once, and drops sold-out events from 'available only'", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const marker = uniqueMarker()
      const event = yield* twoTypes(a, `Gig ${marker}`)
      const other = yield* twoTypes(a, `Show ${marker}`)
      const list = (availableOnly: boolean) =>
        Effect.provide(EventRepository.use((r) => r.listPublished(listing(marker, availableOnly))), a)
      assert.strictEqual((yield* list(true)).total, 2)
      assert.strictEqual((yield* list(false)).total, 2)
      for (const type of event.ticketTypes) yield* buy(a, type, type.totalQty)
      const all = yield* list(false)
      assert.deepStrictEqual(all.events.find((e) => e.id === event.id)?.ticketTypes.map((t) => t.availableQty), [0, 0])
      const available = yield* list(true)
      assert.deepStrictEqual(available.events.map((e) => e.id), [other.id])
      assert.strictEqual(available.total, 1)
    })))

  it.effect("lists an event created through it at once", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const marker = uniqueMarker()
      const list = Effect.provide(EventRepository.use((r) => r.listPublished(listing(marker))), a)
      assert.strictEqual((yield* list).total, 0)
      const event = yield* twoTypes(a, `Fair ${marker}`)
      assert.deepStrictEqual((yield* list).events.map((e) => e.id), [event.id])
    })))

  it.effect("is at most the time to live behind sales made by another instance", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a, b } = yield* makeWorld()
      const event = yield* twoTypes(a)
      const [first] = event.ticketTypes
      if (first === undefined) return yield* Effect.die(new Error("fixture"))
      assert.deepStrictEqual(yield* soldOn(a, event.id), [0, 0])
      yield* buy(b, first, 2)
      assert.deepStrictEqual(yield* soldOn(b, event.id), [2, 0], "the selling instance knows at once")
      assert.deepStrictEqual(yield* soldOn(a, event.id), [0, 0], "the other may show what it loaded...")
      yield* TestClock.adjust(TTL)
      assert.deepStrictEqual(yield* soldOn(a, event.id), [2, 0], "...until its time to live is up")
    })))

  it.effect("corrects a count another instance made stale as soon as a purchase is refused for it", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a, b } = yield* makeWorld()
      const event = yield* twoTypes(a)
      const [, second] = event.ticketTypes
      if (second === undefined) return yield* Effect.die(new Error("fixture"))
      assert.strictEqual((yield* read(a, event.id)).ticketTypes[1]?.availableQty, 5)
      yield* buy(b, second, 4)
      const refused = yield* Effect.flip(buy(a, second, 2))
      assert.strictEqual(refused._tag, "SoldOut")
      assert.strictEqual((yield* read(a, event.id)).ticketTypes[1]?.availableQty, 1)
    })))

  it.effect("changes nothing for a replayed or refused purchase", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const event = yield* twoTypes(a)
      const [first] = event.ticketTypes
      if (first === undefined) return yield* Effect.die(new Error("fixture"))
      yield* buy(a, first, 2)
      const before = yield* read(a, event.id)
      yield* Effect.flip(buy(a, first, 9))
      assert.strictEqual(yield* read(a, event.id), before)
      assert.deepStrictEqual(yield* soldOn(a, event.id), yield* soldOn(a, event.id))
    })))

  it.effect("answers unknown events as the repository does, and does not remember them", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const missing = yield* Effect.provide(EventRepository.use((r) => r.findById(EventId.make(987_654))), a)
      assert.isTrue(Option.isNone(missing))
    })))
})
