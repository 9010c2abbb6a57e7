import { Context, Effect, Layer, Option } from "effect"
import { type Event, EventRepository, type EventPage, EventSnapshots } from "@ticketmania/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { comparable, fetchClient, makeEvent, signUp } from "./support/client.ts"
import { inMemoryPorts } from "./support/deps.ts"
import { startServer } from "./support/socketServer.ts"

// The fast path (server/fastReads.ts) answers an anonymous GET from the reply memo while the event
// snapshots still return the objects the full stack answered from. Here a minimal caching
// repository stands in for the real cache: it keeps each loaded event and page until the test
// drops them (as a sale replaces the cached object), and counts the loads the full stack makes —
// a request that loads nothing was answered by the fast path.

const world = () => {
  const events = new Map<number, Event>()
  const pages = new Map<string, EventPage>()
  const loads = { count: 0 }
  const ports = Layer.effectContext(Effect.gen(function*() {
    const real = yield* EventRepository
    const repository = EventRepository.of({
      ...real,
      findById: (id) => {
        loads.count++
        const kept = events.get(id)
        if (kept !== undefined) return Effect.succeed(Option.some(kept))
        return Effect.tap(real.findById(id), (found) => Effect.sync(() => Option.map(found, (e) => events.set(id, e))))
      },
      listPublished: (query) => {
        loads.count++
        const key = JSON.stringify(query)
        const kept = pages.get(key)
        if (kept !== undefined) return Effect.succeed(kept)
        return Effect.tap(real.listPublished(query), (page) => Effect.sync(() => pages.set(key, page)))
      }
    })
    return Context.make(EventRepository, repository).pipe(
      Context.add(EventSnapshots, { event: (id) => events.get(id), page: (query) => pages.get(JSON.stringify(query)) })
    )
  })).pipe(Layer.provideMerge(inMemoryPorts()))
  return { ports, loads, forget: () => (events.clear(), pages.clear()) }
}

describe("the fast path for remembered reads", () => {
  const w = world()
  let server: Awaited<ReturnType<typeof startServer>>
  let send: ReturnType<typeof fetchClient>
  let eventId: number
  let token: string
  beforeAll(async () => {
    server = await startServer({
      ports: w.ports,
      config: { rateLimit: { enabled: true, rps: 1, burst: 1_000, authPerMinute: 100 }, corsOrigins: ["https://shop.example"] }
    })
    send = fetchClient(server.base)
    token = (await signUp(send)).token
    eventId = (await makeEvent(send, token)).id
  })
  afterAll(() => server.stop())

  it("answers a repeated anonymous read alike, without loading anything", async () => {
    const first = await comparable(await send(`/v1/events/${eventId}`))
    const loads = w.loads.count
    const again = await send(`/v1/events/${eventId}`)
    expect(w.loads.count).toBe(loads)
    expect(await comparable(again)).toEqual(first)
    expect(first.status).toBe(200)
    expect(again.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("goes back to the full stack once the snapshot holds another object, and answers the new state", async () => {
    const path = `/v1/events/${eventId}?fresh=1`
    await send(path)
    w.forget()
    const loads = w.loads.count
    const res = await send(path)
    expect(w.loads.count).toBe(loads + 1)
    expect(res.status).toBe(200)
    // Remembered again: the next one is fast.
    await send(path)
    expect(w.loads.count).toBe(loads + 1)
  })

  it("remembers a listing page per URL", async () => {
    const first = await comparable(await send("/v1/events?limit=5"))
    const loads = w.loads.count
    expect(await comparable(await send("/v1/events?limit=5"))).toEqual(first)
    expect(w.loads.count).toBe(loads)
    await send("/v1/events?limit=6")
    expect(w.loads.count).toBe(loads + 1)
  })

  it("echoes a client's request id", async () => {
    await send(`/v1/events/${eventId}`)
    const res = await send(`/v1/events/${eventId}`, { headers: { "x-request-id": "trace-42" } })
    expect(res.headers.get("x-request-id")).toBe("trace-42")
  })

  it("leaves credentials, CORS and HEAD to the full stack", async () => {
    const path = `/v1/events/${eventId}`
    await send(path)
    const bad = await send(path, { token: "not-a-token" })
    expect(bad.status).toBe(401)
    const loads = w.loads.count
    expect((await send(path, { token })).status).toBe(200)
    const cors = await send(path, { headers: { origin: "https://shop.example" } })
    expect(cors.headers.get("access-control-allow-origin")).toBe("https://shop.example")
    expect((await send(path, { method: "HEAD" })).status).toBe(200)
    expect(w.loads.count).toBe(loads + 3)
  })

  it("counts its replies in the request metrics", async () => {
    const count = async () => {
      const text = await (await send("/metrics")).text()
      return Number(/http_requests_total\{method="GET",route="\/v1\/events\/:id",status="200"\} (\d+)/.exec(text)?.[1] ?? 0)
    }
    await send(`/v1/events/${eventId}`)
    const before = await count()
    const loads = w.loads.count
    for (let i = 0; i < 5; i++) await send(`/v1/events/${eventId}`)
    expect(w.loads.count).toBe(loads)
    expect(await count()).toBe(before + 5)
  })
})

describe("the fast path under rate limiting", () => {
  const w = world()
  let server: Awaited<ReturnType<typeof startServer>>
  beforeAll(async () => {
    server = await startServer({ ports: w.ports, config: { rateLimit: { enabled: true, rps: 1, burst: 6, authPerMinute: 100 } } })
  })
  afterAll(() => server.stop())

  it("draws from the client's bucket like any request, and is refused 429 once it is empty", async () => {
    const send = fetchClient(server.base)
    const statuses: Array<number> = []
    const token = (await signUp(send)).token // register + login: the strict bucket
    const id = (await makeEvent(send, token)).id // one token of the six
    for (let i = 0; i < 6; i++) statuses.push((await send(`/v1/events/${id}`)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    const refused = await send(`/v1/events/${id}`)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
  })
})
