import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { decodeInput, decodePurchaseRequest, decodePurchaseRequestNow, ListEventsInput, RegistrationInput, toListEventsQuery, UserId } from "@ticketmania/domain"

const failure = <A>(effect: Effect.Effect<A, { readonly fields: Record<string, string> }>) =>
  Effect.map(Effect.flip(effect), (error) => error.fields)

describe("registration input", () => {
  const decode = decodeInput(RegistrationInput)

  it.effect("trims the name and lower-cases and trims the email, keeping the password redacted", () =>
    Effect.gen(function*() {
      const input = yield* decode({ name: "  John Doe ", email: " John@Example.COM ", password: "securepassword123" })
      assert.strictEqual(input.name, "John Doe")
      assert.strictEqual(input.email, "john@example.com")
      assert.strictEqual(Redacted.value(input.password), "securepassword123")
      assert.notInclude(String(input.password), "securepassword123")
    }))

  it.effect("reports every bad field at once", () =>
    Effect.gen(function*() {
      const fields = yield* failure(decode({ name: "   ", email: "not-an-email", password: "short" }))
      assert.deepStrictEqual(fields, {
        name: "must not be empty",
        email: "must be a valid email address",
        password: "must be at least 8 bytes"
      })
    }))

  it.effect("reports missing fields and wrong types by name", () =>
    Effect.gen(function*() {
      const fields = yield* failure(decode({ name: 42 }))
      assert.deepStrictEqual(fields, { name: "must be a string", email: "is required", password: "is required" })
    }))

  it.effect("counts password length in bytes, up to bcrypt's 72, and refuses only-whitespace", () =>
    Effect.gen(function*() {
      const base = { name: "A", email: "a@example.com" }
      yield* decode({ ...base, password: "é".repeat(36) })
      const tooLong = yield* failure(decode({ ...base, password: "é".repeat(37) }))
      assert.deepStrictEqual(tooLong, { password: "must be at most 72 bytes" })
      const blank = yield* failure(decode({ ...base, password: "         " }))
      assert.deepStrictEqual(blank, { password: "must not be only whitespace" })
    }))

  // Found by the system tests' fuzzing: PostgreSQL cannot store U+0000, and the insert failed (500).
  it.effect("refuses a NUL character in the name and control characters in the email", () =>
    Effect.gen(function*() {
      const fields = yield* failure(decode({ name: "Ada\u0000", email: "ada\u0000@example.com", password: "securepassword123" }))
      assert.deepStrictEqual(fields, { name: "must not contain NUL characters", email: "must be a valid email address" })
      const tab = yield* failure(decode({ name: "Ada", email: "ad\u0007a@example.com", password: "securepassword123" }))
      assert.deepStrictEqual(tab, { email: "must be a valid email address" })
    }))

  it.effect("caps names at 100 characters and emails at 254", () =>
    Effect.gen(function*() {
      const fields = yield* failure(decode({
        name: "n".repeat(101),
        email: `${"a".repeat(250)}@example.com`,
        password: "securepassword123"
      }))
      assert.deepStrictEqual(Object.keys(fields).sort(), ["email", "name"])
    }))
})

describe("purchase input", () => {
  const line = { ticketTypeId: 1, quantity: 2, buyerEmail: "Buyer@Example.com", buyerPhone: "+234 (812) 345-6789" }

  it.effect("takes one purchase object or an array of them, normalising email and phone", () =>
    Effect.gen(function*() {
      const single = yield* decodePurchaseRequest({ eventId: 1, ticketTypes: [line] }, null)
      const array = yield* decodePurchaseRequest([{ eventId: 1, ticketTypes: [line] }, { eventId: 2, ticketTypes: [line] }], null)
      assert.deepStrictEqual(single.lines.map((l) => [l.eventId, l.buyerEmail, l.buyerPhone, l.path]), [
        [1, "buyer@example.com", "+2348123456789", "ticketTypes[0]"]
      ])
      assert.deepStrictEqual(array.lines.map((l) => [l.eventId, l.path]), [[1, "[0].ticketTypes[0]"], [2, "[1].ticketTypes[0]"]])
    }))

  it.effect("names every bad field with its path in the request", () =>
    Effect.gen(function*() {
      const fields = yield* failure(decodePurchaseRequest([
        { eventId: 0, ticketTypes: [{ ...line, quantity: 0, buyerPhone: "12" }, { ...line, quantity: 2.5 }] }
      ], null))
      assert.deepStrictEqual(fields, {
        "[0].eventId": "must be a positive integer",
        "[0].ticketTypes[0].quantity": "must be >= 1",
        "[0].ticketTypes[0].buyerPhone": "must be 7 to 15 digits with an optional leading +",
        "[0].ticketTypes[1].quantity": "must be an integer"
      })
    }))

  it.effect("refuses empty purchases and empty ticket type lists", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* failure(decodePurchaseRequest([], null)), { input: "must hold at least one purchase" })
      assert.deepStrictEqual(yield* failure(decodePurchaseRequest({ eventId: 1, ticketTypes: [] }, null)), {
        ticketTypes: "must list at least one ticket type"
      })
    }))

  it.effect("decodes at once (decodePurchaseRequestNow) exactly what the effect decodes, and nothing it refuses", () =>
    Effect.gen(function*() {
      const bodies: ReadonlyArray<unknown> = [
        { eventId: 1, ticketTypes: [line] },
        [{ eventId: 1, ticketTypes: [line, { ...line, ticketTypeId: 2 }] }, { eventId: 2, ticketTypes: [line] }],
        [{ eventId: 0, ticketTypes: [{ ...line, quantity: 0 }] }],
        { eventId: 1, ticketTypes: [{ ...line, quantity: 2.5 }] },
        { eventId: 1, ticketTypes: [] },
        [],
        { eventId: 1 },
        "a purchase",
        null
      ]
      for (const body of bodies) {
        const decoded = yield* Effect.option(decodePurchaseRequest(body, null))
        assert.deepStrictEqual(decodePurchaseRequestNow(body, null), Option.getOrUndefined(decoded), JSON.stringify(body))
      }
      const user = yield* decodePurchaseRequest({ eventId: 1, ticketTypes: [line] }, UserId.make(7))
      assert.deepStrictEqual(decodePurchaseRequestNow({ eventId: 1, ticketTypes: [line] }, UserId.make(7)), user)
    }))
})

describe("listing query", () => {
  const decode = decodeInput(ListEventsInput)

  it.effect("applies defaults and accepts numbers given as query-string text", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(toListEventsQuery(yield* decode({})), {
        page: 1,
        limit: 20,
        q: undefined,
        from: undefined,
        to: undefined,
        availableOnly: false,
        sort: "start_time"
      })
      const query = toListEventsQuery(yield* decode({ page: "3", limit: "50", q: " jazz ", available: "true", sort: "-title" }))
      assert.deepStrictEqual([query.page, query.limit, query.q, query.availableOnly, query.sort], [3, 50, "jazz", true, "-title"])
    }))

  it.effect("refuses a NUL character in the search text", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* failure(decode({ q: "jazz\u0000" })), { q: "must not contain NUL characters" })
    }))

  it.effect("names each invalid parameter", () =>
    Effect.gen(function*() {
      const fields = yield* failure(
        decode({ page: "0", limit: "101", from: "2026-02-30x", sort: "price", available: "yes", q: "x".repeat(201) })
      )
      assert.deepStrictEqual(Object.keys(fields).sort(), ["available", "from", "limit", "page", "q", "sort"])
      assert.strictEqual(fields.limit, "must be <= 100")
    }))
})
