import { assert, describe, it as plain, layer } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { SqlClient } from "effect/sql"
import { EventRepository } from "@ticketmania/domain"
import type { ListEventsQuery } from "@ticketmania/domain"
import { makeEvent, makeUser, uniqueMarker } from "@ticketmania/testing"
import { containsPattern } from "../src/repositories/eventSql.ts"
import { DB_TIMEOUT, TestStorage } from "./support.ts"

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

describe("containsPattern", () => {
  plain("escapes LIKE's own characters so they match themselves", () => {
    assert.strictEqual(containsPattern("100%_a\\b"), "%100\\%\\_a\\\\b%")
  })
})

layer(TestStorage(), { excludeTestServices: true, timeout: DB_TIMEOUT })("PgEventRepository", (it) => {
  it.effect("matches a backslash in q literally", () =>
    Effect.gen(function*() {
      const events = yield* EventRepository
      const organizer = yield* makeUser()
      const marker = uniqueMarker("bs")
      const literal = yield* makeEvent(organizer.id, { title: `AC\\DC-${marker}` })
      yield* makeEvent(organizer.id, { title: `ACDC-${marker}` })
      // Unescaped, LIKE would read "\D" as a plain "D" and find ACDC instead.
      const page = yield* events.listPublished(query(`c\\dc-${marker}`))
      assert.deepStrictEqual(page.events.map((e) => e.id), [literal.id])
    }))

  it.effect("sorts titles by code point, upper case before lower case, on any server locale", () =>
    Effect.gen(function*() {
      const events = yield* EventRepository
      const organizer = yield* makeUser()
      const marker = uniqueMarker("cp")
      const lower = yield* makeEvent(organizer.id, { title: `apple ${marker}` })
      const upper = yield* makeEvent(organizer.id, { title: `Banana ${marker}` })
      const page = yield* events.listPublished(query(marker, { sort: "title" }))
      assert.deepStrictEqual(page.events.map((e) => e.id), [upper.id, lower.id])
    }))

  it.effect("counts every match while returning one page, and leaves sold-out events out when asked", () =>
    Effect.gen(function*() {
      const events = yield* EventRepository
      const sql = yield* SqlClient.SqlClient
      const organizer = yield* makeUser()
      const marker = uniqueMarker("pg")
      const made = yield* Effect.forEach(Array.from({ length: 5 }, (_, i) => i), (i) =>
        makeEvent(organizer.id, { title: `${marker} ${i}`, startsInDays: 10 + i }))
      const page = yield* events.listPublished(query(marker, { limit: 2, page: 2 }))
      assert.strictEqual(page.total, 5)
      assert.deepStrictEqual(page.events.map((e) => e.id), made.slice(2, 4).map((e) => e.id))
      const soldOut = made[0]?.ticketTypes[0]
      yield* sql`UPDATE ticket_types SET sold_qty = total_qty WHERE id = ${soldOut?.id}`
      const available = yield* events.listPublished(query(marker, { availableOnly: true }))
      assert.strictEqual(available.total, 4)
      assert.isFalse(available.events.some((e) => e.id === made[0]?.id))
      const far = yield* events.listPublished(query(marker, { page: 1_000_000_000_000 }))
      assert.deepStrictEqual([far.events.length, far.total], [0, 5])
    }))

  it.effect("includes events starting at the very start and end of the from/to days, in UTC", () =>
    Effect.gen(function*() {
      const events = yield* EventRepository
      const sql = yield* SqlClient.SqlClient
      const organizer = yield* makeUser()
      const marker = uniqueMarker("day")
      const first = yield* makeEvent(organizer.id, { title: `${marker} a` })
      const last = yield* makeEvent(organizer.id, { title: `${marker} b` })
      const after = yield* makeEvent(organizer.id, { title: `${marker} c` })
      const set = (id: number, start: string) =>
        sql`UPDATE events SET start_time = ${start}::timestamptz, end_time = ${start}::timestamptz + interval '1 hour',
          date = (${start}::timestamptz AT TIME ZONE 'UTC')::date WHERE id = ${id}`
      yield* set(first.id, "2031-03-01T00:00:00Z")
      yield* set(last.id, "2031-03-02T23:59:59.999Z")
      yield* set(after.id, "2031-03-03T00:00:00Z")
      const page = yield* events.listPublished(query(marker, { from: "2031-03-01", to: "2031-03-02" }))
      assert.deepStrictEqual(page.events.map((e) => e.id), [first.id, last.id])
      assert.deepStrictEqual(page.events.map((e) => e.date), ["2031-03-01", "2031-03-02"])
      const found = page.events[1]
      assert.strictEqual(found && DateTime.formatIso(found.startTime), "2031-03-02T23:59:59.999Z")
    }))
})
