import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { call, createEvent, type CreatedEvent, field, line, signUp, unique } from "./support/api.ts"
import { freshDatabase, openSql, type Sql } from "./support/db.ts"
import { buy, checkLedger, histogram, NO_VIOLATIONS, type PurchaseRecord, report, runBounded, violations } from "./support/load.ts"
import { loggedErrors, startService, type Service } from "./support/service.ts"

// Issue #9 on real PostgreSQL: two `ticketmania serve` instances, each coalescing its purchases
// into batches (the default), race for the same hot ticket type. Each instance decides its
// batches in one transaction; the database keeps the two apart. Every reply is checked against the
// tables: exactly the stock sold, sold_qty = ticket rows = 201 replies, no key with two orders.

let db: Awaited<ReturnType<typeof freshDatabase>>
let sql: Sql
let a: Service
let b: Service
let organizer: Awaited<ReturnType<typeof signUp>>

beforeAll(async () => {
  db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
  sql = openSql(db.url)
  ;[a, b] = await Promise.all([startService({ DATABASE_URL: db.url }), startService({ DATABASE_URL: db.url })])
  organizer = await signUp(a.base)
})

afterAll(async () => {
  await Promise.all([a.stop(), b.stop()])
  await sql.close()
  await db.drop()
})

const instance = (i: number) => (i % 2 === 0 ? a : b)

const soldCount = async (event: CreatedEvent) => {
  const [row] = await sql.query<{ readonly sold: number; readonly tickets: number }>(
    `SELECT sold_qty AS sold, (SELECT count(*)::int FROM tickets WHERE ticket_type_id = $1) AS tickets FROM ticket_types WHERE id = $1`,
    [event.ticketTypeIds[0] ?? 0]
  )
  return row
}

describe("two instances coalescing purchases of one hot ticket type", () => {
  it("sell exactly the stock: sold_qty = ticket rows = 201 replies, and no key has two orders", async () => {
    const stock = 300
    const event = await createEvent(a.base, organizer.token, [{ name: "Hot", total_qty: stock, max_per_order: 4 }])
    const ticketTypeId = event.ticketTypeIds[0] ?? 0
    const records: Array<PurchaseRecord> = []
    // Every tenth buyer sends its request to both instances at once with the same key, like a
    // client that gave up on one instance and tried the other: one may sell, never both.
    const twins: Array<readonly [PurchaseRecord, PurchaseRecord]> = []
    await runBounded({ count: 600, concurrency: 120, deadlineMillis: 60_000 }, async (i) => {
      // A buyer told to come back (503: admission, or a batch that failed) retries with its key.
      const options = {
        eventId: event.id,
        ticketTypeId,
        quantity: 1,
        buyerEmail: `race-${i}@load.example`,
        idempotencyKey: unique(`race-${i}`),
        maxAttempts: 50,
        retryDelayMillis: 100
      }
      if (i % 10 === 9) {
        const pair = await Promise.all([buy({ ...options, base: a.base }), buy({ ...options, base: b.base })])
        // The ledger holds one record per purchase: the half that sold, if one did.
        records.push(pair[1].final === 201 ? pair[1] : pair[0])
        twins.push(pair)
      } else {
        records.push(await buy({ ...options, base: instance(i).base }))
      }
    })
    const check = await checkLedger(sql, event.id, records)
    const stored = await soldCount(event)
    const fresh = [...records.filter((r) => !twins.some((t) => t.includes(r))), ...twins.flat()].filter((r) => r.final === 201 && !r.replayed)
    report("coalescing_two_instances", { stock, buyers: 600, by_status: histogram(records.map((r) => r.final)), inventory: check.inventory })

    expect(violations(check), `${loggedErrors(a)} ${loggedErrors(b)}`).toEqual(NO_VIOLATIONS)
    expect(stored).toEqual({ sold: stock, tickets: stock })
    expect(fresh.length, "one fresh 201 per ticket sold").toBe(stock)
    expect(new Set(fresh.map((r) => r.orderId)).size).toBe(stock)
    for (const [first, second] of twins) {
      // Both halves of a twin answer for the same single purchase: the same order, or one saw the
      // other in progress, or both were refused as sold out (a half may also have given up on 503s).
      const outcomes = [first, second].map((r) => (r.final === 201 ? `201:${r.orderId}` : `${r.final}:${r.code}`)).sort()
      const sold = outcomes.filter((o) => o.startsWith("201"))
      expect(new Set(sold).size, JSON.stringify(outcomes)).toBeLessThanOrEqual(1)
      const allowed = ["409:idempotency_in_progress", "409:sold_out", "503:unavailable"]
      expect(outcomes.every((o) => o.startsWith("201") || allowed.includes(o)), JSON.stringify(outcomes)).toBe(true)
    }
  }, 120_000)

  it("answer each request of a burst on its own: valid, sold out, invalid, unknown, not on sale, replayed", async () => {
    const event = await createEvent(a.base, organizer.token, [{ name: "Last five", total_qty: 6, max_per_order: 2 }])
    const draft = await createEvent(a.base, organizer.token, [{ name: "Draft", total_qty: 5 }], { status: "draft" })
    const [typeId = 0] = event.ticketTypeIds
    const key = unique("burst-replay")
    const body = (ticketTypeId: number, quantity: number, eventId = event.id) => ({ eventId, ticketTypes: [line(ticketTypeId, quantity, `${unique("burst")}@load.example`)] })
    const firstBody = body(typeId, 1)
    const first = await call(a.base, "/v1/buy-ticket", { json: firstBody, headers: { "idempotency-key": key } })
    expect(first.status).toBe(201)
    const burst = [
      ...Array.from({ length: 10 }, (_, i) => ({ json: body(typeId, 1), headers: { "idempotency-key": unique(`burst-${i}`) } })), // 5 seats left
      { json: body(typeId, 3) }, // over the per-order maximum of 2
      { json: body(999_999_999, 1) }, // no such ticket type
      { json: body(draft.ticketTypeIds[0] ?? 0, 1, draft.id) }, // a draft event
      { json: body(typeId, 1), headers: { "idempotency-key": key } }, // another request under a used key
      { json: firstBody, headers: { "idempotency-key": key } } // a retry of the first request
    ]
    // The two requests under the used key go to one instance: there they are decided one after the
    // other (concurrent, on two instances, one of them could be told the key is in progress).
    const replies = await Promise.all(burst.map((init, i) => call(i >= 13 ? a.base : instance(i).base, "/v1/buy-ticket", init)))
    const codes = replies.map((r) =>
      r.status === 201 ? (r.headers.get("idempotent-replayed") === "true" ? "201 replayed" : "201") : `${r.status} ${String(field(r.body, "code"))}`
    )

    expect(codes.slice(0, 10).filter((c) => c === "201").length, JSON.stringify(codes)).toBe(5)
    expect(codes.slice(0, 10).filter((c) => c !== "201").every((c) => c === "409 sold_out"), JSON.stringify(codes)).toBe(true)
    expect(codes.slice(10)).toEqual(["422 validation_failed", "404 not_found", "409 not_on_sale", "422 idempotency_key_reused", "201 replayed"])
    expect(replies[14]?.text).toBe(first.text)
    expect(await soldCount(event)).toEqual({ sold: 6, tickets: 6 })
  }, 60_000)
})
