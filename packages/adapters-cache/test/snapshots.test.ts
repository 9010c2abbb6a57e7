import { assert, describe, it } from "@effect/vitest"
import { Context, Effect } from "effect"
import { EventRepository, EventSnapshots } from "@ticketmania/domain"
import type { ListEventsQuery } from "@ticketmania/domain"
import { makeEvent, makeUser, uniqueMarker } from "@ticketmania/testing"
import type { StoragePorts } from "@ticketmania/testing"
import { TestClock } from "effect/testing"
import { buy, makeWorld, read, TTL } from "./support.ts"

// The cache's `EventSnapshots` must say exactly what its repository would answer without a load:
// the very same objects while nothing changed, another object once something did, and nothing once
// an entry is older than the time to live. The HTTP adapter serves remembered replies on that word.

const snapshotsOf = (on: Context.Context<StoragePorts>) => Context.get(on, EventSnapshots)

const listing = (q: string): ListEventsQuery => ({
  page: 1,
  limit: 20,
  q,
  from: undefined,
  to: undefined,
  availableOnly: false,
  sort: "start_time"
})

describe("event cache snapshots", () => {
  it.effect("are the objects the next read returns, until a sale replaces them", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const event = yield* Effect.provide(Effect.flatMap(makeUser(), (user) => makeEvent(user.id, { ticketTypes: [{ totalQty: 10 }] })), a)
      const snapshots = snapshotsOf(a)
      assert.isUndefined(snapshots.event(event.id), "nothing is known before a load")
      const loaded = yield* read(a, event.id)
      assert.strictEqual(snapshots.event(event.id), loaded)
      assert.strictEqual(yield* read(a, event.id), loaded)

      const [type] = loaded.ticketTypes
      if (type === undefined) return yield* Effect.die(new Error("fixture"))
      yield* buy(a, type, 2)
      const after = snapshots.event(event.id)
      assert.notStrictEqual(after, loaded)
      assert.strictEqual(after?.ticketTypes[0]?.soldQty, 2)
      assert.strictEqual(yield* read(a, event.id), after)
    })))

  it.effect("know nothing once an entry outlived the time to live", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const event = yield* Effect.provide(Effect.flatMap(makeUser(), (user) => makeEvent(user.id)), a)
      yield* read(a, event.id)
      yield* TestClock.adjust(TTL - 1)
      assert.isDefined(snapshotsOf(a).event(event.id))
      yield* TestClock.adjust(1)
      assert.isUndefined(snapshotsOf(a).event(event.id))
    })))

  it.effect("give a listing page as the next listing returns it, and another once one of its events sold", () =>
    Effect.scoped(Effect.gen(function*() {
      const { a } = yield* makeWorld()
      const marker = uniqueMarker()
      const event = yield* Effect.provide(Effect.flatMap(makeUser(), (user) => makeEvent(user.id, { title: marker })), a)
      const query = listing(marker)
      const page = yield* Effect.provide(EventRepository.use((r) => r.listPublished(query)), a)
      assert.strictEqual(snapshotsOf(a).page(query), page)
      const [type] = event.ticketTypes
      if (type === undefined) return yield* Effect.die(new Error("fixture"))
      yield* buy(a, type, 1)
      const after = snapshotsOf(a).page(query)
      assert.notStrictEqual(after, page)
      assert.strictEqual(after?.events[0]?.ticketTypes[0]?.soldQty, 1)
    })))
})
