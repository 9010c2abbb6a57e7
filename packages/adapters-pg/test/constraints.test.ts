import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql"
import { DB_TIMEOUT, TestDatabase } from "./support.ts"

// The schema's own guarantees, checked with raw SQL that bypasses the application entirely: what
// still holds if a bug, a script or an operator writes to the tables directly.

const refused = <A>(statement: Effect.Effect<A, SqlError.SqlError>, reason: SqlError.SqlError["reason"]["_tag"]) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(statement)
    assert.strictEqual(error.reason._tag, reason, error.message)
  })

let n = 0
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++n}`

/** A user, a published event and one ticket type (total 10), inserted directly. */
const seed = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [user] = yield* sql<{ readonly id: bigint }>`
    INSERT INTO users (name, email, password_hash) VALUES ('Ada', ${unique("ada") + "@example.test"}, 'x') RETURNING id`
  const [event] = yield* sql<{ readonly id: bigint }>`
    INSERT INTO events (title, date, start_time, end_time, status, organizer_id)
    VALUES ('Gig', '2030-01-01', '2030-01-01T20:00:00Z', '2030-01-01T23:00:00Z', 'published', ${user?.id})
    RETURNING id`
  const [type] = yield* sql<{ readonly id: bigint }>`
    INSERT INTO ticket_types (event_id, name, price, currency, total_qty) VALUES (${event?.id}, 'Regular', 500, 'NGN', 10)
    RETURNING id`
  return { userId: user?.id, eventId: event?.id, typeId: type?.id }
})

layer(TestDatabase(), { excludeTestServices: true, timeout: DB_TIMEOUT })("schema constraints", (it) => {
  it.effect("refuse to oversell or to make the sold count negative", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const { typeId } = yield* seed
      yield* refused(sql`UPDATE ticket_types SET sold_qty = total_qty + 1 WHERE id = ${typeId}`, "ConstraintError")
      yield* refused(sql`UPDATE ticket_types SET sold_qty = sold_qty + 11 WHERE id = ${typeId}`, "ConstraintError")
      yield* refused(sql`UPDATE ticket_types SET sold_qty = -1 WHERE id = ${typeId}`, "ConstraintError")
      yield* refused(sql`UPDATE ticket_types SET total_qty = 0 WHERE id = ${typeId}`, "ConstraintError")
      yield* sql`UPDATE ticket_types SET sold_qty = 10 WHERE id = ${typeId}`
      yield* refused(sql`UPDATE ticket_types SET total_qty = 9 WHERE id = ${typeId}`, "ConstraintError")
    }))

  it.effect("refuse a negative price, a malformed currency, or a per-order maximum below one", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const { eventId } = yield* seed
      const insert = (name: string, price: number, currency: string, maxPerOrder: number) =>
        sql`INSERT INTO ticket_types (event_id, name, price, currency, total_qty, max_per_order)
          VALUES (${eventId}, ${name}, ${price}, ${currency}, 5, ${maxPerOrder})`
      yield* refused(insert("Negative", -1, "NGN", 1), "ConstraintError")
      yield* refused(insert("Lower", 100, "ngn", 1), "ConstraintError")
      yield* refused(insert("Long", 100, "NGNX", 1), "ConstraintError")
      yield* refused(insert("Zero max", 100, "NGN", 0), "ConstraintError")
      yield* refused(insert("REGULAR", 100, "NGN", 1), "UniqueViolation")
      yield* insert("Free", 0, "EUR", 1)
    }))

  it.effect("keep emails lower-case and unique regardless of case", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const email = `${unique("bo")}@example.test`
      yield* sql`INSERT INTO users (name, email, password_hash) VALUES ('Bo', ${email}, 'x')`
      yield* refused(sql`INSERT INTO users (name, email, password_hash) VALUES ('Bo', ${email}, 'x')`, "UniqueViolation")
      yield* refused(
        sql`INSERT INTO users (name, email, password_hash) VALUES ('Bo', ${email.toUpperCase()}, 'x')`,
        "ConstraintError"
      )
    }))

  it.effect("refuse unknown event statuses and events that end before they start", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const { userId } = yield* seed
      const insert = (status: string, end: string) =>
        sql`INSERT INTO events (title, date, start_time, end_time, status, organizer_id)
          VALUES ('Gig', '2030-01-01', '2030-01-01T20:00:00Z', ${end}::timestamptz, ${status}, ${userId})`
      yield* refused(insert("archived", "2030-01-01T23:00:00Z"), "ConstraintError")
      yield* refused(insert("published", "2030-01-01T19:00:00Z"), "ConstraintError")
    }))

  it.effect("refuse duplicate ticket codes and a ticket whose event is not its type's event", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const { eventId, typeId, userId } = yield* seed
      const other = yield* seed
      const [order] = yield* sql<{ readonly id: bigint }>`
        INSERT INTO orders (user_id, buyer_email, total_amount, currency) VALUES (${userId}, 'b@example.test', 500, 'NGN')
        RETURNING id`
      const ticket = (code: string, event: unknown) =>
        sql`INSERT INTO tickets (order_id, event_id, ticket_type_id, code, buyer_email, buyer_phone, price)
          VALUES (${order?.id}, ${event}, ${typeId}, ${code}, 'b@example.test', '+2348000000000', 500)`
      const code = unique("code")
      yield* ticket(code, eventId)
      yield* refused(ticket(code, eventId), "UniqueViolation")
      yield* refused(ticket(unique("code"), other.eventId), "ConstraintError")
      yield* refused(
        sql`INSERT INTO orders (buyer_email, total_amount, currency) VALUES ('b@example.test', -5, 'NGN')`,
        "ConstraintError"
      )
    }))

  it.effect("keep idempotency keys at least a day and outbox statuses known", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const { userId } = yield* seed
      const [order] = yield* sql<{ readonly id: bigint }>`
        INSERT INTO orders (user_id, buyer_email, total_amount, currency) VALUES (${userId}, 'b@example.test', 0, 'NGN')
        RETURNING id`
      yield* refused(
        sql`INSERT INTO idempotency_keys (scope, key, fingerprint, order_id, created_at, expires_at)
          VALUES ('guest', ${unique("k")}, 'f', ${order?.id}, now(), now() + interval '1 hour')`,
        "ConstraintError"
      )
      yield* refused(
        sql`INSERT INTO mail_outbox (kind, recipient, subject, body_text, body_html, status)
          VALUES ('welcome', 'a@example.test', 's', 't', 'h', 'lost')`,
        "ConstraintError"
      )
    }))
})
