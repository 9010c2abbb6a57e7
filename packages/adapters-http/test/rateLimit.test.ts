import { Option, Redacted } from "effect"
import { createClient } from "redis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fetchClient, read, type Send } from "./support/client.ts"
import { startTestRedis } from "./support/redisServer.ts"
import { startServer } from "./support/socketServer.ts"
import { transports, useApp } from "./support/transports.ts"

const limits = { enabled: true, rps: 1, burst: 3, authPerMinute: 2 }

const exhaust = async (send: Send, path: string, init: Parameters<typeof send>[1], times: number) => {
  const statuses: Array<number> = []
  for (let i = 0; i < times; i++) statuses.push((await send(path, init)).status)
  return statuses
}

describe.each(transports)("rate limiting in memory (%s)", (_transport, start) => {
  const send = useApp(start, { config: { rateLimit: limits } }, { beforeAll, afterAll })

  it("answers 429 rate_limited with Retry-After once a client's bucket is empty", async () => {
    const statuses = await exhaust(send, "/v1/events", {}, 4)
    expect(statuses).toEqual([200, 200, 200, 429])
    const res = await read(send("/v1/events"))
    expect(res.status).toBe(429)
    expect(res.body).toEqual({ error: "too many requests; slow down", code: "rate_limited" })
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
  })

  it("limits login more strictly, in a bucket of its own", async () => {
    const login = { method: "POST", json: { email: "who@example.com", password: "whatever12" } }
    expect(await exhaust(send, "/v1/login", login, 3)).toEqual([401, 401, 429])
  })

  it("never limits the probes", async () => {
    expect(await exhaust(send, "/livez", {}, 10)).toEqual(Array(10).fill(200))
  })
})

// Only where neither a redis-server binary nor a running Redis exists is this suite left out.
const redis = await startTestRedis()

describe.skipIf(redis === undefined)("rate limiting shared through Redis", () => {
  const redisUrl = redis?.url ?? ""
  let servers: Array<Awaited<ReturnType<typeof startServer>>> = []
  beforeAll(async () => {
    // A fresh budget: the buckets are keyed by client IP, the same in every run.
    const client = createClient({ url: redisUrl })
    await client.connect()
    for await (const keys of client.scanIterator({ MATCH: "ticketmania:rl:*" })) if (keys.length > 0) await client.del(keys)
    await client.close()
    const url = Option.some(Redacted.make(redisUrl))
    servers = await Promise.all([1, 2].map(() => startServer({ config: { rateLimit: { ...limits, burst: 4 }, redisUrl: url } })))
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await redis?.stop()
  })

  it("two instances draw from one bucket per client", async () => {
    const [a, b] = servers.map((s) => fetchClient(s.base))
    if (a === undefined || b === undefined) throw new Error("servers did not start")
    const statuses: Array<number> = []
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 === 0 ? a : b)("/v1/events")).status)
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4)
    expect(statuses).toContain(429)
  })
})

describe("behind a trusted proxy", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  beforeAll(async () => {
    const { IpNetwork } = await import("effect/net")
    server = await startServer({
      config: { rateLimit: { ...limits, burst: 1 }, trustedProxies: [IpNetwork.fromStringUnsafe("127.0.0.1/32")] }
    })
  })
  afterAll(() => server.stop())

  it("limits each client named in X-Forwarded-For, not the proxy", async () => {
    const send = fetchClient(server.base)
    const from = (client: string) => send("/v1/events", { headers: { "x-forwarded-for": client } }).then((r) => r.status)
    expect([await from("198.51.100.7"), await from("198.51.100.8"), await from("198.51.100.7")]).toEqual([200, 200, 429])
  })
})
