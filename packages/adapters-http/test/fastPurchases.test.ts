import { Effect, Layer, Option } from "effect"
import { HttpServerRequest } from "effect/http"
import { coalescePurchases, Overloaded, PurchaseAdmission, TicketCodes, TicketInventory } from "@ticketmania/domain"
import { Agent, request as httpRequest } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chunked, comparable, fetchClient, halfSent, line, makeEvent, signUp } from "./support/client.ts"
import { inMemoryPorts } from "./support/deps.ts"
import { startServer } from "./support/socketServer.ts"

// The fast path for guest purchases (server/fastPurchases.ts) reads the body itself and runs the
// purchase use case without the HTTP stack. The inventory here notes, for every purchase, whether
// the request ran inside the full stack (which puts the HTTP request in the fiber's context); a
// chunked body is one thing the fast path leaves to the full stack, so the same request can be
// sent both ways and the replies compared byte for byte.

const world = () => {
  const paths: Array<"full" | "fast"> = []
  const ports = Layer.effect(
    TicketInventory,
    Effect.map(Effect.service(TicketInventory), (real) =>
      TicketInventory.of({
        ...real,
        purchase: (command) =>
          Effect.flatMap(Effect.serviceOption(HttpServerRequest.HttpServerRequest), (request) => {
            paths.push(Option.isSome(request) ? "full" : "fast")
            // Seven tickets break the inventory, as a lost database connection would.
            const broken = command.request.lines.some((l) => l.quantity === 7)
            return broken ? Effect.die(new Error("connection lost")) : real.purchase(command)
          })
      }))
  ).pipe(Layer.provideMerge(inMemoryPorts()))
  return { ports, paths }
}

describe("the fast path for guest purchases", () => {
  const w = world()
  let server: Awaited<ReturnType<typeof startServer>>
  let send: ReturnType<typeof fetchClient>
  let token: string
  let vip: number
  let regular: number
  let eventId: number
  beforeAll(async () => {
    server = await startServer({ ports: w.ports, config: { corsOrigins: ["https://shop.example"] } })
    send = fetchClient(server.base)
    token = (await signUp(send)).token
    const event = await makeEvent(send, token)
    eventId = event.id
    vip = event.ticket_types[0]?.id ?? 0
    regular = event.ticket_types[1]?.id ?? 0
  })
  afterAll(() => server.stop())

  /** The same purchase both ways: by the fast path, then by the full stack. */
  const bothWays = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const fast = await send(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
    const full = await send(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, ...chunked(body) })
    return { fast: await comparable(fast), full: await comparable(full) }
  }

  it("sells without the HTTP stack, and its receipt is what the full stack replays, byte for byte", async () => {
    const body = JSON.stringify({ eventId, ticketTypes: [line(regular, 2)] })
    const key = { "idempotency-key": "fast-path-receipt-1" }
    const seen = w.paths.length
    const { fast, full } = await bothWays("/v1/buy-ticket", body, key)
    expect(w.paths.slice(seen)).toEqual(["fast", "full"])
    expect(fast.status).toBe(201)
    expect(full.status).toBe(201)
    expect(full.body).toBe(fast.body)
    expect(full.headers["idempotent-replayed"]).toBe("true")
    const { "idempotent-replayed": replayed, ...rest } = full.headers
    expect(replayed).toBe("true")
    expect(rest).toEqual(fast.headers)
    // And a replay by the fast path says so too.
    const again = await comparable(await send("/v1/buy-ticket", { method: "POST", headers: { "content-type": "application/json", ...key }, body }))
    expect(again).toEqual(full)
  })

  it("answers every refusal exactly as the full stack does", async () => {
    const cases: ReadonlyArray<readonly [string, string, Record<string, string>?]> = [
      ["sold out", JSON.stringify({ eventId, ticketTypes: [line(vip, 6)] })],
      // Sold-out replies are remembered by message: the same again, then another quantity.
      ["sold out again", JSON.stringify({ eventId, ticketTypes: [line(vip, 6)] })],
      ["sold out, asking for more", JSON.stringify({ eventId, ticketTypes: [line(vip, 9)] })],
      ["invalid fields", JSON.stringify({ eventId: "x", ticketTypes: [line(regular, 0)] })],
      ["unknown ticket type", JSON.stringify({ eventId, ticketTypes: [line(999_999, 1)] })],
      ["unknown event", JSON.stringify({ eventId: 999_999, ticketTypes: [line(regular, 1)] })],
      ["malformed JSON", `{"eventId": ${eventId},`],
      ["not an object", "42"],
      ["invalid key", JSON.stringify({ eventId, ticketTypes: [line(regular, 1)] }), { "idempotency-key": "tab\there" }],
      ["key reused for another body", JSON.stringify({ eventId, ticketTypes: [line(regular, 3)] }), { "idempotency-key": "fast-path-receipt-1" }],
      ["broken inventory", JSON.stringify({ eventId, ticketTypes: [line(regular, 7)] })]
    ]
    const statuses: Record<string, number> = {}
    const bodies: Record<string, string> = {}
    for (const [name, body, headers] of cases) {
      const { fast, full } = await bothWays("/v1/orders", body, headers)
      expect(fast, name).toEqual(full)
      statuses[name] = fast.status
      bodies[name] = fast.body
    }
    expect(bodies["sold out, asking for more"]).toContain("asked for 9")
    expect(statuses).toEqual({
      "sold out": 409,
      "sold out again": 409,
      "sold out, asking for more": 409,
      "invalid fields": 422,
      "unknown ticket type": 404,
      "unknown event": 404,
      "malformed JSON": 400,
      "not an object": 400,
      "invalid key": 422,
      "key reused for another body": 422,
      "broken inventory": 500
    })
  })

  it("leaves signed-in buyers, CORS and bodies it cannot take to the full stack", async () => {
    const body = JSON.stringify({ eventId, ticketTypes: [line(regular, 1)] })
    const seen = w.paths.length
    expect((await send("/v1/buy-ticket", { method: "POST", token, json: body })).status).toBe(201)
    const cors = await send("/v1/buy-ticket", { method: "POST", json: body, headers: { origin: "https://shop.example" } })
    expect(cors.status).toBe(201)
    expect(cors.headers.get("access-control-allow-origin")).toBe("https://shop.example")
    expect((await send("/v1/buy-ticket", { method: "POST", body, headers: { "content-type": "text/plain" } })).status).toBe(415)
    // The router also takes a trailing slash; the fast path knows only the exact paths.
    expect((await send("/v1/buy-ticket/", { method: "POST", json: body })).status).toBe(201)
    expect(w.paths.slice(seen)).toEqual(["full", "full", "full"])
  })

  it("counts its replies in the request metrics, and nothing stays in flight after a client leaves mid-body", async () => {
    const metric = async (pattern: RegExp) => Number(pattern.exec(await (await send("/metrics")).text())?.[1] ?? Number.NaN)
    const created = /http_requests_total\{method="POST",route="\/v1\/buy-ticket",status="201"\} (\d+)/
    const before = await metric(created)
    const body = JSON.stringify({ eventId, ticketTypes: [line(regular, 1)] })
    for (let i = 0; i < 3; i++) await send("/v1/buy-ticket", { method: "POST", json: body })
    expect(await metric(created)).toBe(before + 3)

    // Half a body, then the client hangs up.
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.base}/v1/buy-ticket`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "100" }
      })
      req.on("error", () => resolve())
      req.write(`{"eventId": ${eventId}`, () => setTimeout(() => req.destroy(), 50))
    })
    await new Promise((r) => setTimeout(r, 100))
    await send("/v1/buy-ticket", { method: "POST", json: body })
    // The gauge is set as each request is answered, to the requests in flight with it: itself only.
    expect(await metric(/http_requests_in_flight (\d+)/)).toBe(1)
  })
})

describe("the fast path when purchasing is overloaded", () => {
  const overloaded = new Overloaded({ retryAfterSeconds: 2 })
  // Full as the headers arrive: refused before the body is read. Full only once the purchase is
  // asked (the queue filled while its body was read): refused by the use case.
  const admissions = {
    "as the headers arrive": { admit: Effect.fail(overloaded), refusalNow: () => overloaded },
    "once the body is read": { admit: Effect.fail(overloaded), refusalNow: () => undefined }
  }
  for (const [when, admission] of Object.entries(admissions)) {
    describe(`full ${when}`, () => {
      let server: Awaited<ReturnType<typeof startServer>>
      beforeAll(async () => {
        server = await startServer({ ports: Layer.merge(inMemoryPorts(), Layer.succeed(PurchaseAdmission, admission)) })
      })
      afterAll(() => server.stop())

      it("answers 503 with Retry-After, as the full stack does", async () => {
        const send = fetchClient(server.base)
        const body = JSON.stringify({ eventId: 1, ticketTypes: [line(1, 1)] })
        const fast = await comparable(await send("/v1/buy-ticket", { method: "POST", headers: { "content-type": "application/json" }, body }))
        const full = await comparable(await send("/v1/buy-ticket", { method: "POST", headers: { "content-type": "application/json" }, ...chunked(body) }))
        expect(fast).toEqual(full)
        expect(fast.status).toBe(503)
        expect(fast.headers["retry-after"]).toBe("2")
      })
    })
  }

  describe("the refusal as the headers arrive", () => {
    let server: Awaited<ReturnType<typeof startServer>>
    beforeAll(async () => {
      server = await startServer({ ports: Layer.merge(inMemoryPorts(), Layer.succeed(PurchaseAdmission, admissions["as the headers arrive"])) })
    })
    afterAll(() => server.stop())

    it("comes while the body is still being sent, and the connection serves the next request", async () => {
      const body = JSON.stringify({ eventId: 1, ticketTypes: [line(1, 1)] })
      const early = await halfSent(server.port, "/v1/buy-ticket", body)
      expect(early.status).toBe(503)
      early.finish()
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      const replies: Array<{ readonly status: number; readonly reusedSocket: boolean }> = []
      for (let i = 0; i < 2; i++) {
        replies.push(await new Promise((resolve, reject) => {
          const request = httpRequest(`${server.base}/v1/buy-ticket`, {
            method: "POST",
            agent,
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
          }, (response) => {
            response.resume()
            response.on("end", () => resolve({ status: response.statusCode ?? 0, reusedSocket: request.reusedSocket }))
          })
          request.on("error", reject)
          request.end(body)
        }))
      }
      agent.destroy()
      // The second went over the first's connection: its unread body was discarded, not left to
      // be taken for the next request.
      expect(replies).toEqual([{ status: 503, reusedSocket: false }, { status: 503, reusedSocket: true }])
    })
  })
})

describe("the fast path after a sell-out", () => {
  // Coalescing in front of an inventory that counts what reaches it (the memo learns a type is
  // sold out from the batch that sold its last ticket), and ticket codes that count the purchases
  // the use case started: it draws codes before it asks the inventory.
  const counts = { inventory: 0, codes: 0 }
  const counting = Layer.effect(
    TicketInventory,
    Effect.map(Effect.service(TicketInventory), (real) =>
      TicketInventory.of({
        ...real,
        purchaseMany: (commands, options) =>
          Effect.suspend(() => {
            counts.inventory += commands.length
            return real.purchaseMany(commands, options)
          })
      }))
  )
  const countingCodes = Layer.effect(
    TicketCodes,
    Effect.map(Effect.service(TicketCodes), (real) =>
      TicketCodes.of({
        generate: (n) =>
          Effect.suspend(() => {
            counts.codes++
            return real.generate(n)
          })
      }))
  )
  const memo = coalescePurchases({ windowMillis: 0, maxBatch: 64, batchesInFlight: 2, maxQueued: 1_000, maxWaitMillis: 1_000, soldOutTtlMillis: 60_000, retryAfterSeconds: 1 })
  let server: Awaited<ReturnType<typeof startServer>>
  beforeAll(async () => {
    const ports = Layer.mergeAll(memo.pipe(Layer.provide(counting)), countingCodes).pipe(Layer.provideMerge(inMemoryPorts()))
    server = await startServer({ ports })
  })
  afterAll(() => server.stop())

  it("answers a guest's purchase of what is gone at once, starting no purchase, as the full stack answers it", async () => {
    const send = fetchClient(server.base)
    const event = await makeEvent(send, (await signUp(send)).token, {
      ticket_types: [{ name: "Last", price: 1000, currency: "NGN", total_qty: 1 }]
    })
    const body = JSON.stringify({ eventId: event.id, ticketTypes: [line(event.ticket_types[0]?.id ?? 0, 1)] })
    const buy = (headers: Record<string, string> = {}, how: RequestInit = { body }) =>
      send("/v1/buy-ticket", { method: "POST", headers: { "content-type": "application/json", ...headers }, ...how })
    expect((await buy()).status).toBe(201)
    const before = { ...counts }

    const fast = await comparable(await buy())
    expect(counts, "the fast path started no purchase").toEqual(before)
    const full = await comparable(await buy({}, chunked(body)))
    expect(counts, "the full stack ran the use case, answered by the memo").toEqual({ ...before, codes: before.codes + 1 })
    expect(fast).toEqual(full)
    expect(fast.status).toBe(409)
    expect(JSON.parse(fast.body)).toMatchObject({ code: "sold_out" })

    // A keyed purchase may be the retry of a sale: it goes to the inventory, and hears the same.
    const keyed = await comparable(await buy({ "idempotency-key": "after-sell-out-1" }))
    expect(keyed).toEqual(fast)
    expect(counts.inventory - before.inventory).toBe(1)
  })
})
