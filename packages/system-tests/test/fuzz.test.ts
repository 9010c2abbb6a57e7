import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { call, type Call, createEvent, type CreatedEvent, field, type Json, PASSWORD, type Reply, signUp } from "./support/api.ts"
import { freshDatabase, openSql, type Sql } from "./support/db.ts"
import { arbitraryOf, evilValue, EVIL_STRINGS, type FuzzOperation, headerValue, type Hints, mutate, mutation, type OpenApiDocument, operationsOf } from "./support/fuzz.ts"
import { decodeJwt, nowSeconds, signJwt } from "./support/jwt.ts"
import { histogram, type Outcome, report } from "./support/load.ts"
import { JWT_SECRET, loggedErrors, type Service, startService } from "./support/service.ts"

// Fuzzing every operation of the service's own OpenAPI document, over HTTP, against PostgreSQL:
// bodies generated from the request schemas (steered to real ids and valid values often enough
// to succeed), then mutated; raw non-JSON and non-UTF-8 bodies; hostile headers (tokens, content
// types, idempotency keys, request ids); random query strings and path parameters; every method on
// every path. Each reply must be a non-5xx JSON reply in the contract's envelope that leaks no
// hash or secret; afterwards the inventory must add up exactly to the 201 replies.

const RUNS_PER_BODY_OPERATION = 300
const RUNS_PER_OTHER_OPERATION = 120
const RUNS_METHODS = 150
// A failing run prints its seed; FUZZ_SEED=<seed> replays it.
const SEED = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }

let db: Awaited<ReturnType<typeof freshDatabase>>
let service: Service
let doc: OpenApiDocument
let organizer: Awaited<ReturnType<typeof signUp>>
let buyer: Awaited<ReturnType<typeof signUp>>
let published: CreatedEvent
let draft: CreatedEvent

// What the fuzzing saw, for the figures and the inventory check.
const statuses: Array<Outcome> = []
const byOperation: Record<string, Array<Outcome>> = {}
let ticketsIn201 = 0
let draftSales = 0

beforeAll(async () => {
  db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
  service = await startService({ DATABASE_URL: db.url })
  doc = (await call(service.base, "/openapi.json")).body as unknown as OpenApiDocument
  organizer = await signUp(service.base)
  buyer = await signUp(service.base, "buyer")
  published = await createEvent(service.base, organizer.token, [
    { name: "General", total_qty: 40, max_per_order: 5 },
    { name: "VIP", total_qty: 5, max_per_order: 2 },
    { name: "Dollars", total_qty: 20, currency: "USD" }
  ])
  draft = await createEvent(service.base, organizer.token, [{ name: "Hidden", total_qty: 10 }], { status: "draft" })
}, 120_000)

afterAll(async () => {
  await service.stop()
  await db.drop()
})

/** Every kind of bearer token: none, the organizer's, a buyer's, forged, expired, garbage. */
const tokens = (): fc.Arbitrary<string | undefined> => {
  const { claims } = decodeJwt(organizer.token)
  return fc.oneof(
    { arbitrary: fc.constantFrom<string | undefined>(undefined, organizer.token, buyer.token), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        signJwt({}, claims, "a-different-secret-that-is-long-enough-for-hs256"),
        signJwt({}, { ...claims, exp: nowSeconds() - 60 }, JWT_SECRET),
        signJwt({ alg: "none" }, claims, ""),
        `${organizer.token}x`,
        "not.a.jwt"
      ),
      weight: 1
    }
  )
}

/** Values steered towards what the service accepts, by field name; evil ones mixed in. */
const hints = (): Hints => {
  const eventIds = [published.id, draft.id]
  const typeIds = [...published.ticketTypeIds, ...draft.ticketTypeIds]
  const mostly = (good: fc.Arbitrary<unknown>, weight = 4) => fc.oneof({ arbitrary: good, weight }, { arbitrary: evilValue, weight: 1 })
  const table: Record<string, fc.Arbitrary<unknown>> = {
    eventId: mostly(fc.oneof(fc.constantFrom(...eventIds), fc.integer({ min: -2, max: 60 }))),
    ticketTypeId: mostly(fc.oneof(fc.constantFrom(...typeIds), fc.integer({ min: -2, max: 60 }))),
    quantity: mostly(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 4 }, { arbitrary: fc.integer({ min: -3, max: 120 }), weight: 1 })),
    buyerEmail: mostly(fc.oneof(fc.emailAddress(), fc.constant(" Fan@Example.COM "))),
    buyerPhone: mostly(fc.constantFrom("+2348123456789", "(555) 123-4567", "0803 123 4567", "12")),
    email: mostly(fc.oneof(fc.emailAddress(), fc.constant(organizer.email), fc.constant(organizer.email.toUpperCase()))),
    password: mostly(fc.oneof(fc.constant(PASSWORD), fc.string({ minLength: 8, maxLength: 80 }))),
    name: mostly(fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(...EVIL_STRINGS))),
    title: mostly(fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(...EVIL_STRINGS))),
    description: mostly(fc.string({ maxLength: 60 })),
    location: mostly(fc.string({ maxLength: 30 })),
    date: mostly(fc.constantFrom("2032-05-01", "2032-02-30", "yesterday")),
    start_time: mostly(fc.constantFrom("2032-05-01T10:00:00Z", "2032-05-01T10:00:00+01:00", "10:00", "2001-01-01T00:00:00Z", "25:61")),
    end_time: mostly(fc.constantFrom("2032-05-01T12:00:00Z", "2032-05-02T01:00:00+01:00", "12:00", "2032-05-01T09:00:00Z")),
    status: mostly(fc.constantFrom("published", "draft", "cancelled", "PUBLISHED")),
    currency: mostly(fc.constantFrom("NGN", "USD", "usd", "XXXX")),
    price: mostly(fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(-1, 0.5))),
    total_qty: mostly(fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, 1_000_001, -5))),
    max_per_order: mostly(fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(0, -1)))
  }
  return (name) => table[name]
}

/** Bodies the route accepts, so that fuzzing also runs the success paths (and sells). */
const validBodies = (path: string): fc.Arbitrary<unknown> | undefined => {
  const [general = 0, vip = 0, dollars = 0] = published.ticketTypeIds
  const purchaseLine = fc.record({
    ticketTypeId: fc.constantFrom(general, vip),
    quantity: fc.integer({ min: 1, max: 2 }),
    buyerEmail: fc.emailAddress(),
    buyerPhone: fc.constant("+2348123456789")
  })
  const purchase = fc.record({ eventId: fc.constant(published.id), ticketTypes: fc.array(purchaseLine, { minLength: 1, maxLength: 2 }) })
  const dollarPurchase = fc.record({
    eventId: fc.constant(published.id),
    ticketTypes: fc.constant([{ ticketTypeId: dollars, quantity: 1, buyerEmail: "usd@example.com", buyerPhone: "+15551234567" }])
  })
  const draftPurchase = fc.constant({ eventId: draft.id, ticketTypes: [{ ticketTypeId: draft.ticketTypeIds[0], quantity: 1, buyerEmail: "d@example.com", buyerPhone: "+2348123456789" }] })
  switch (path) {
    case "/v1/buy-ticket":
    case "/v1/orders":
      return fc.oneof(purchase, fc.array(purchase, { minLength: 1, maxLength: 2 }), dollarPurchase, draftPurchase)
    case "/v1/register":
      return fc.record({ name: fc.string({ minLength: 1, maxLength: 20 }), email: fc.emailAddress(), password: fc.constant(PASSWORD) })
    case "/v1/login":
      return fc.constant({ email: organizer.email, password: PASSWORD })
    case "/v1/events":
    case "/v1/create-event":
      return fc.record({
        title: fc.string({ minLength: 1, maxLength: 30 }),
        start_time: fc.constant("2032-05-01T10:00:00Z"),
        end_time: fc.constant("2032-05-01T12:00:00Z"),
        status: fc.constantFrom("published", "draft"),
        ticket_types: fc.constant([{ name: "Fuzz", price: 100, currency: "NGN", total_qty: 5 }])
      })
    default:
      return undefined
  }
}

/** A raw body that is not the JSON the route takes, with the content type it is sent under. */
const rawBody: fc.Arbitrary<{ readonly body: string | Uint8Array; readonly contentType: string | undefined }> = fc.record({
  body: fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.uint8Array({ maxLength: 60 }),
    fc.constantFrom("", "{", "[]", "null", "1", "\"text\"", "{\"a\":1,\"a\":2}", "{\"eventId\":1} trailing", "\ufeff{}", "[[[[[[[[[[]]]]]]]]]]"),
    fc.constant("x".repeat(1024 * 1024 + 1))
  ),
  contentType: fc.constantFrom(undefined, "application/json", "application/json; charset=latin1", "text/plain", "multipart/form-data; boundary=x", "application/vnd.api+json")
})

interface FuzzRequest {
  readonly path: string
  readonly init: Call
}

const queryValue = fc.oneof(
  fc.constantFrom("1", "0", "-1", "101", "20", "true", "false", "2032-05-01", "2032-13-45", "title", "-title", "start_time", "-created_at", "id", "%", "'"),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...EVIL_STRINGS)
)

/** Requests for one operation of the document. */
const requestsFor = (op: FuzzOperation): fc.Arbitrary<FuzzRequest> => {
  const valid = validBodies(op.path)
  const body: fc.Arbitrary<unknown> = op.body === undefined
    ? fc.constant(undefined)
    : fc.oneof(
      { arbitrary: arbitraryOf(doc, op.body, hints()), weight: 3 },
      { arbitrary: fc.tuple(arbitraryOf(doc, op.body, hints()), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, m]) => mutate(v, m)), weight: 3 },
      ...(valid === undefined ? [] : [
        { arbitrary: valid, weight: 3 },
        { arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([v, m]) => mutate(v, m)), weight: 2 }
      ])
    )
  const knownIds = [published.id, draft.id].map(String)
  return fc.record({
    body,
    raw: op.body === undefined ? fc.constant(null) : fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: rawBody, weight: 1 }),
    token: tokens(),
    idempotencyKey: op.headers.includes("idempotency-key") ? fc.option(headerValue, { freq: 2 }) : fc.constant(null),
    requestId: fc.option(headerValue, { freq: 4 }),
    query: op.query.length === 0
      ? fc.constant<Array<[string, string]>>([])
      : fc.array(fc.tuple(fc.oneof(fc.constantFrom(...op.query), fc.string({ maxLength: 8 })), queryValue), { maxLength: 5 }),
    pathValue: fc.oneof(fc.constantFrom(...knownIds), fc.string({ maxLength: 20 }), fc.constantFrom("0", "-1", "1.0", "1e3", " 1", "99999999999999999999", "..", "%00"))
  }).map((r): FuzzRequest => {
    const headers: Record<string, string> = {}
    if (r.idempotencyKey !== null) headers["idempotency-key"] = r.idempotencyKey
    if (r.requestId !== null) headers["x-request-id"] = r.requestId
    let path = op.path
    for (const name of op.pathParams) path = path.replace(`{${name}}`, encodeURIComponent(r.pathValue))
    if (r.query.length > 0) path += `?${r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")}`
    const base: Call = { method: op.method, headers, ...(r.token === undefined ? {} : { token: r.token }) }
    if (op.body === undefined) return { path, init: base }
    if (r.raw !== null) {
      if (r.raw.contentType !== undefined) headers["content-type"] = r.raw.contentType
      return { path, init: { ...base, body: r.raw.body } }
    }
    // `undefined` (a mutation deleted everything) is sent as an empty body.
    return { path, init: r.body === undefined ? { ...base, body: "" } : { ...base, json: JSON.stringify(r.body) } }
  })
}

const HASH = /\$2[aby]\$\d\d\$/

/** Keys that must never appear in a reply body. */
const leakedKeys = (value: Json | undefined): Array<string> => {
  const found: Array<string> = []
  const walk = (node: Json | undefined) => {
    if (Array.isArray(node)) (node as ReadonlyArray<Json>).forEach(walk)
    else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        if (/password|hash|secret/i.test(key)) found.push(key)
        walk(child)
      }
    }
  }
  walk(value)
  return found
}

/** The contract every reply keeps, whatever was sent. */
const checkReply = (method: string, path: string, reply: Reply) => {
  expect(reply.status, `a 5xx: ${reply.text.slice(0, 300)} ${loggedErrors(service)}`).toBeLessThan(500)
  expect(reply.headers.get("x-request-id")).toBeTruthy()
  // Prometheus scrapes are text by design; everything else is JSON.
  const prometheus = method === "GET" && path.startsWith("/metrics") && reply.status === 200
  if (method !== "HEAD" && reply.status !== 204 && !prometheus) {
    expect(reply.isJson, `not JSON: ${reply.status} ${reply.headers.get("content-type")} ${reply.text.slice(0, 200)}`).toBe(true)
  }
  if (reply.status >= 400 && method !== "HEAD") {
    expect(typeof field(reply.body, "code")).toBe("string")
    expect(["string", "object"]).toContain(typeof field(reply.body, "error"))
  }
  expect(reply.text).not.toMatch(HASH)
  expect(reply.text).not.toContain(JWT_SECRET)
  // Field names in a 422's error object are the client's own (e.g. "password": "is required").
  if (reply.status < 400) expect(leakedKeys(reply.body)).toEqual([])
}

const send = async (label: string, request: FuzzRequest) => {
  const reply = await call(service.base, request.path, request.init)
  statuses.push(reply.status)
  ;(byOperation[label] ??= []).push(reply.status)
  return reply
}

describe("fuzzing every operation of the OpenAPI document", () => {
  it("covers the routes the contract lists", () => {
    const listed = operationsOf(doc).map((op) => `${op.method} ${op.path}`)
    expect(listed).toEqual(expect.arrayContaining([
      "POST /v1/register", "POST /v1/login", "POST /v1/create-event", "POST /v1/events", "GET /v1/events",
      "GET /v1/events/{id}", "POST /v1/buy-ticket", "POST /v1/orders", "GET /v1/healthcheck", "GET /livez", "GET /readyz", "GET /metrics"
    ]))
  })

  it("never answers 5xx or anything but the contract's JSON, for any request to any operation", async () => {
    for (const op of operationsOf(doc)) {
      const label = `${op.method} ${op.path}`
      await fc.assert(
        fc.asyncProperty(requestsFor(op), async (request) => {
          const reply = await send(label, request)
          checkReply(op.method, request.path, reply)
          const purchase = op.path === "/v1/buy-ticket" || op.path === "/v1/orders"
          if (purchase && reply.status === 201 && reply.headers.get("idempotent-replayed") !== "true") {
            const tickets = field(reply.body, "tickets")
            const sold = Array.isArray(tickets) ? tickets : []
            ticketsIn201 += sold.length
            draftSales += sold.filter((t) => draft.ticketTypeIds.includes(Number(field(t, "ticket_type_id")))).length
          }
        }),
        { numRuns: op.body === undefined ? RUNS_PER_OTHER_OPERATION : RUNS_PER_BODY_OPERATION, ...SEED }
      )
    }
  }, 240_000)

  it("answers every method on every path with JSON: 405 with Allow, 404, or the route's reply", async () => {
    const paths = [...new Set(operationsOf(doc).map((op) => op.path.replace("{id}", String(published.id))))]
    await fc.assert(
      fc.asyncProperty(
        // (fetch refuses TRACE and CONNECT itself)
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
        fc.oneof(fc.constantFrom(...paths), fc.constantFrom("/", "/v1", "/v2/events", "/v1/events/1/tickets", "/v1/../v1/events", "/V1/EVENTS")),
        async (method, path) => {
          const reply = await send(`${method} *`, { path, init: { method } })
          checkReply(method, path, reply)
          if (reply.status === 405) expect(reply.headers.get("allow")).toBeTruthy()
        }
      ),
      { numRuns: RUNS_METHODS, ...SEED }
    )
  }, 60_000)

  it("leaves the inventory exactly as the 201 replies say: nothing oversold, nothing from a draft", async () => {
    const sql: Sql = openSql(db.url)
    try {
      const types = await sql.query<{ readonly id: number; readonly total_qty: number; readonly sold_qty: number; readonly tickets: number; readonly max_per_order: number }>(
        `SELECT tt.id::int AS id, tt.total_qty, tt.sold_qty, tt.max_per_order,
                (SELECT count(*)::int FROM tickets t WHERE t.ticket_type_id = tt.id) AS tickets
         FROM ticket_types tt ORDER BY tt.id`
      )
      const [totals] = await sql.query<{ readonly tickets: number; readonly orders: number; readonly empty_orders: number }>(
        `SELECT (SELECT count(*)::int FROM tickets) AS tickets, (SELECT count(*)::int FROM orders) AS orders,
                (SELECT count(*)::int FROM orders o WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id)) AS empty_orders`
      )
      const overCap = await sql.query<{ readonly order_id: number }>(
        `SELECT t.order_id::int AS order_id FROM tickets t JOIN ticket_types tt ON tt.id = t.ticket_type_id
         GROUP BY t.order_id, tt.id, tt.max_per_order HAVING count(*) > tt.max_per_order
         UNION SELECT order_id::int FROM tickets GROUP BY order_id HAVING count(*) > 100`
      )
      const wrongTotals = await sql.query<{ readonly id: number }>(
        `SELECT o.id::int AS id FROM orders o JOIN tickets t ON t.order_id = o.id
         GROUP BY o.id, o.total_amount HAVING sum(t.price) <> o.total_amount`
      )
      report("fuzzing", {
        requests: statuses.length,
        by_status: histogram(statuses),
        by_operation: Object.fromEntries(Object.entries(byOperation).map(([op, s]) => [op, s.length])),
        tickets_sold_in_201_replies: ticketsIn201,
        tickets_stored: totals?.tickets,
        orders_stored: totals?.orders,
        ticket_types: types.length
      })

      expect(statuses.length).toBeGreaterThan(2_000)
      expect(statuses.filter((s) => s === 201).length, "the generators reach the success paths").toBeGreaterThan(50)
      expect(types.filter((t) => t.sold_qty !== t.tickets || t.sold_qty > t.total_qty || t.sold_qty < 0)).toEqual([])
      expect(totals?.tickets).toBe(ticketsIn201)
      expect(totals?.empty_orders).toBe(0)
      expect(overCap).toEqual([])
      expect(wrongTotals).toEqual([])
      expect(draftSales).toBe(0)
      expect(types.find((t) => t.id === draft.ticketTypeIds[0])?.sold_qty).toBe(0)
    } finally {
      await sql.close()
    }
  })
})
