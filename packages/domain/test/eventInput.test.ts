import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { CreateEventInput, decodeInput, toNewEvent, UserId } from "@ticketmania/domain"
import { TestClock } from "effect/testing"

const decode = decodeInput(CreateEventInput)
const organizer = UserId.make(7)
const readme = {
  title: "Tech Conference 2026",
  description: "Annual technology conference",
  location: "Lagos, Nigeria",
  date: "2026-06-15",
  start_time: "2026-06-15T09:00:00Z",
  end_time: "2026-06-15T18:00:00Z",
  ticket_types: [
    { name: "VIP", price: 50000, currency: "NGN", total_qty: 100 },
    { name: "Regular", price: 25000, currency: "NGN", total_qty: 500 }
  ]
}

// The clock stands at 2026-01-01 so the README's June event lies in the future.
const atNewYear = TestClock.setTime(DateTime.toEpochMillis(DateTime.makeUnsafe("2026-01-01T00:00:00Z")))
const newEvent = (input: unknown) =>
  Effect.gen(function*() {
    yield* atNewYear
    return yield* toNewEvent(yield* decode(input), organizer)
  })
const fieldsOf = (input: unknown) => Effect.map(Effect.flip(newEvent(input)), (e) => e.fields)

describe("event input", () => {
  it.effect("accepts the original README's event, with defaults for status and max per order", () =>
    Effect.gen(function*() {
      const event = yield* newEvent(readme)
      assert.strictEqual(event.status, "published")
      assert.strictEqual(event.date, "2026-06-15")
      assert.strictEqual(DateTime.formatIso(event.startTime), "2026-06-15T09:00:00.000Z")
      assert.deepStrictEqual(event.ticketTypes.map((tt) => [tt.name, tt.price, tt.totalQty, tt.maxPerOrder]), [
        ["VIP", 50000, 100, 10],
        ["Regular", 25000, 500, 10]
      ])
    }))

  it.effect("reads HH:MM times on the given date, in UTC, and lets events cross midnight", () =>
    Effect.gen(function*() {
      const event = yield* newEvent({ ...readme, start_time: "22:00", end_time: "2026-06-16T02:00:00+01:00" })
      assert.strictEqual(DateTime.formatIso(event.startTime), "2026-06-15T22:00:00.000Z")
      assert.strictEqual(DateTime.formatIso(event.endTime), "2026-06-16T01:00:00.000Z")
    }))

  it.effect("derives the date from the start when it is omitted, converting offsets to UTC", () =>
    Effect.gen(function*() {
      const { date: _date, ...withoutDate } = readme
      const event = yield* newEvent({ ...withoutDate, start_time: "2026-06-16T00:30:00+02:00", end_time: "2026-06-16T03:00:00Z" })
      assert.strictEqual(event.date, "2026-06-15")
    }))

  it.effect("reports every field error of the body at once", () =>
    Effect.gen(function*() {
      const fields = yield* fieldsOf({
        title: "",
        start_time: "tomorrow",
        end_time: "2026-06-15T18:00:00Z",
        status: "live",
        ticket_types: [{ name: "VIP", price: -1, currency: "naira", total_qty: 0 }, { name: "X", price: 1.5, currency: "NGN", total_qty: 1, max_per_order: 0 }]
      })
      assert.deepStrictEqual(fields, {
        title: "must not be empty",
        start_time: "must be an RFC 3339 date-time with offset, e.g. 2026-06-15T09:00:00Z",
        status: "must be published or draft",
        "ticket_types[0].price": "must be >= 0",
        "ticket_types[0].currency": "must be an ISO 4217 code of three letters",
        "ticket_types[0].total_qty": "must be >= 1",
        "ticket_types[1].price": "must be an integer",
        "ticket_types[1].max_per_order": "must be >= 1"
      })
    }))

  // Found by the system tests' fuzzing: PostgreSQL cannot store U+0000, and the insert failed (500).
  it.effect("refuses NUL characters in every text field", () =>
    Effect.gen(function*() {
      const nul = "a\u0000b"
      const fields = yield* fieldsOf({
        ...readme,
        title: nul,
        description: nul,
        location: nul,
        ticket_types: [{ name: nul, price: 1, currency: "NGN", total_qty: 1 }]
      })
      assert.deepStrictEqual(fields, {
        title: "must not contain NUL characters",
        description: "must not contain NUL characters",
        location: "must not contain NUL characters",
        "ticket_types[0].name": "must not contain NUL characters"
      })
    }))

  it.effect("refuses a start in the past, an end before the start, a wrong date and duplicate names", () =>
    Effect.gen(function*() {
      const fields = yield* fieldsOf({
        ...readme,
        date: "2025-12-01",
        start_time: "2025-12-01T10:00:00Z",
        end_time: "2025-12-01T09:00:00Z",
        ticket_types: [readme.ticket_types[0], { ...readme.ticket_types[1], name: "vip" }]
      })
      assert.deepStrictEqual(fields, {
        start_time: "must not be in the past",
        end_time: "must be after start_time",
        "ticket_types[1].name": "must be unique within the event (ignoring case)"
      })
      const mismatch = yield* fieldsOf({ ...readme, date: "2026-06-14" })
      assert.deepStrictEqual(mismatch, { date: "must equal the UTC date of start_time (2026-06-15)" })
    }))

  it.effect("needs a date to read HH:MM times", () =>
    Effect.gen(function*() {
      const { date: _date, ...withoutDate } = readme
      const fields = yield* fieldsOf({ ...withoutDate, start_time: "09:00", end_time: "18:00" })
      assert.deepStrictEqual(Object.keys(fields).sort(), ["end_time", "start_time"])
    }))

  it.effect("takes 1 to 50 ticket types", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* fieldsOf({ ...readme, ticket_types: [] }), { ticket_types: "must list 1 to 50 ticket types" })
      const many = Array.from({ length: 51 }, (_, i) => ({ name: `T${i}`, price: 1, currency: "NGN", total_qty: 1 }))
      assert.deepStrictEqual(yield* fieldsOf({ ...readme, ticket_types: many }), { ticket_types: "must list 1 to 50 ticket types" })
    }))
})
