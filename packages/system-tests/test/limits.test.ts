import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { call, createEvent, type CreatedEvent, field, line, signUp, unique } from "./support/api.ts"
import { freshDatabase, openSql, type Sql } from "./support/db.ts"
import { report } from "./support/load.ts"
import { type Service, startService } from "./support/service.ts"

// OWASP API4 (unrestricted resource consumption), against the real service: request bodies are
// capped at 1 MiB whether or not their size is declared, oversized request lines and headers get a
// JSON error, orders are capped per ticket type and per request, pages at 100 events, and — with
// the service's default rate limits switched on — bursts and password guessing get 429 with
// Retry-After while the probes stay unlimited.

let db: Awaited<ReturnType<typeof freshDatabase>>
let sql: Sql
let service: Service
let organizer: Awaited<ReturnType<typeof signUp>>

beforeAll(async () => {
  db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
  sql = openSql(db.url)
  service = await startService({ DATABASE_URL: db.url })
  organizer = await signUp(service.base)
})

afterAll(async () => {
  await service.stop()
  await sql.close()
  await db.drop()
})

const MIB = 1024 * 1024

describe("request size", () => {
  it("refuses a body over 1 MiB with 413, declared or streamed without a length", async () => {
    const big = JSON.stringify({ name: "x".repeat(MIB), email: "a@example.com", password: "securepassword123" })
    const declared = await call(service.base, "/v1/register", { json: big })
    expect(declared.status).toBe(413)
    expect(declared.body).toEqual({ error: `the request body is larger than the limit of ${MIB} bytes`, code: "payload_too_large" })

    // Chunked: the size is only known while reading; 64 KiB chunks up to 2 MiB.
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * MIB) return controller.close()
        sent += 64 * 1024
        controller.enqueue(new TextEncoder().encode(sent === 64 * 1024 ? `{"name":"${"x".repeat(64 * 1024 - 9)}` : "x".repeat(64 * 1024)))
      }
    })
    const streamed = await fetch(`${service.base}/v1/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      ...({ duplex: "half" } as object)
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }), (error: unknown) => ({ status: 0, body: String(error) }))
    expect(streamed).toEqual({ status: 413, body: { error: `the request body is larger than the limit of ${MIB} bytes`, code: "payload_too_large" } })
    const [users] = await sql.query<{ readonly n: number }>("SELECT count(*)::int AS n FROM users WHERE email = 'a@example.com'")
    expect(users?.n).toBe(0)
  })

  it("answers an oversized request line or header block with a JSON error, not a bare socket reply", async () => {
    const manyKeys = Array.from({ length: 10_000 }, (_, i) => `k${i}=1`).join("&")
    const replies = [
      await call(service.base, `/v1/events?${manyKeys}`).catch((error: unknown) => String(error)),
      await call(service.base, "/v1/events", { headers: { "x-filler": "x".repeat(20_000) } }).catch((error: unknown) => String(error))
    ]
    for (const reply of replies) {
      expect(typeof reply).toBe("object")
      if (typeof reply === "string") continue
      expect(reply.status).toBe(431)
      expect(reply.isJson, reply.text).toBe(true)
      expect(field(reply.body, "code")).toBe("request_header_fields_too_large")
    }
  })
})

describe("order caps", () => {
  let event: CreatedEvent
  beforeAll(async () => {
    event = await createEvent(service.base, organizer.token, [
      { name: "Capped", total_qty: 1_000, max_per_order: 4 },
      { name: "Bulk A", total_qty: 1_000, max_per_order: 100 },
      { name: "Bulk B", total_qty: 1_000, max_per_order: 100 }
    ])
  })

  it("refuses more than max_per_order of a type, also when split over lines, and more than 100 tickets per request", async () => {
    const [capped = 0, bulkA = 0, bulkB = 0] = event.ticketTypeIds
    const attempts = [
      { eventId: event.id, ticketTypes: [line(capped, 5)] },
      { eventId: event.id, ticketTypes: [line(capped, 3), line(capped, 3)] },
      [{ eventId: event.id, ticketTypes: [line(capped, 2)] }, { eventId: event.id, ticketTypes: [line(capped, 3)] }],
      { eventId: event.id, ticketTypes: [line(bulkA, 60), line(bulkB, 41)] },
      { eventId: event.id, ticketTypes: [line(bulkA, 101)] },
      { eventId: event.id, ticketTypes: [line(capped, -1)] },
      { eventId: event.id, ticketTypes: [line(capped, 0)] },
      { eventId: event.id, ticketTypes: [line(capped, 1.5)] },
      { eventId: event.id, ticketTypes: Array.from({ length: 200 }, () => line(bulkA, 1)) }
    ]
    for (const body of attempts) {
      const reply = await call(service.base, "/v1/buy-ticket", { json: body })
      expect(reply.status, JSON.stringify(body).slice(0, 200)).toBe(422)
      expect(field(reply.body, "code")).toBe("validation_failed")
    }
    const sold = await sql.query<{ readonly sold_qty: number }>("SELECT sold_qty FROM ticket_types WHERE event_id = $1", [event.id])
    expect(sold.map((s) => s.sold_qty)).toEqual([0, 0, 0])
    const ok = await call(service.base, "/v1/buy-ticket", { json: { eventId: event.id, ticketTypes: [line(bulkA, 60), line(bulkB, 40)] } })
    expect(ok.status).toBe(201)
  })
})

describe("pagination caps", () => {
  it("caps pages at 100 events and names a bad page size under the name used", async () => {
    const limit101 = await call(service.base, "/v1/events?limit=101")
    expect(limit101.status).toBe(422)
    expect(field(limit101.body, "error", "limit")).toBe("must be <= 100")
    const alias = await call(service.base, "/v1/events?page_size=1000")
    expect(field(alias.body, "error", "page_size")).toBe("must be <= 100")
    expect((await call(service.base, "/v1/events?page=0")).status).toBe(422)
    expect((await call(service.base, "/v1/events?page=1&page=2")).status).toBe(422)
    const hundred = await call(service.base, "/v1/events?limit=100")
    expect(field(hundred.body, "metadata", "per_page")).toBe(100)
    const farAway = await call(service.base, "/v1/events?page=1000000000&limit=100")
    expect(farAway.status).toBe(200)
    expect(field(farAway.body, "events")).toEqual([])
  })
})

describe("rate limits (the service's defaults, switched on)", () => {
  let limited: Service
  let limitedDb: Awaited<ReturnType<typeof freshDatabase>>
  beforeAll(async () => {
    limitedDb = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
    // Readiness polling at start-up must not use up the budget: probes are never limited.
    limited = await startService({ DATABASE_URL: limitedDb.url, RATE_LIMIT_ENABLED: "true" })
  })
  afterAll(async () => {
    await limited.stop()
    await limitedDb.drop()
  })

  it("lets a burst through, then answers 429 with Retry-After; never limits the probes", async () => {
    const started = Date.now()
    const statuses: Array<number> = []
    let tooMany: Awaited<ReturnType<typeof call>> | undefined
    for (let i = 0; i < 60; i++) {
      const reply = await call(limited.base, "/v1/events")
      statuses.push(reply.status)
      if (reply.status === 429) tooMany ??= reply
    }
    const seconds = (Date.now() - started) / 1000
    const probes = await Promise.all(Array.from({ length: 50 }, () => call(limited.base, "/livez").then((r) => r.status)))
    report("rate_limit_burst", { requests: statuses.length, ok: statuses.filter((s) => s === 200).length, limited: statuses.filter((s) => s === 429).length, seconds })

    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([])
    // Default bucket: 20 at once, refilled at 10 per second.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20 + Math.ceil(seconds * 10) + 1)
    expect(tooMany?.body).toEqual({ error: "too many requests; slow down", code: "rate_limited" })
    expect(Number(tooMany?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
    expect(probes).toEqual(Array(50).fill(200))
  })

  it("stops password guessing: the 11th failed login within a minute is 429", async () => {
    const email = `${unique("victim")}@example.com`
    const statuses: Array<number> = []
    for (let i = 0; i < 12; i++) statuses.push((await call(limited.base, "/v1/login", { json: { email, password: `guess-${i}-password` } })).status)
    report("rate_limit_login", { attempts: statuses })
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(10)).toEqual([429, 429])
  })
})
