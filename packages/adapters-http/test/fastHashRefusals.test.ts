import { Effect, Latch } from "effect"
import { makeInMemoryPasswordHasher } from "@ticketmania/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chunked, comparable, fetchClient, freshEmail, halfSent, read } from "./support/client.ts"
import { startServer } from "./support/socketServer.ts"

// Refused logins and registrations are answered from the Node listener (server/fastHashRefusals.ts)
// when hashing is full: one hash at a time and nobody waiting (HASH_CONCURRENCY=1,
// HASH_QUEUE_MAX=0). The hasher holds each hash until the test lets it go, and says when one
// started. A chunked body is left to the full stack, so the same refusal can be had both ways.

describe("refusals of password hashing without the HTTP stack", () => {
  const gate = Latch.makeUnsafe(true)
  let started: () => void = () => undefined
  const hashing = () => new Promise<void>((resolve) => (started = resolve))
  const hasher = makeInMemoryPasswordHasher(Effect.andThen(Effect.sync(() => started()), gate.await))
  let server: Awaited<ReturnType<typeof startServer>>
  let send: ReturnType<typeof fetchClient>
  const credentials = { email: freshEmail(), password: "securepassword123" }
  const json = (value: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(value) })

  beforeAll(async () => {
    server = await startServer({ hasher, config: { hashing: { concurrency: 1, queue: 0, restWhileSelling: 0 } } })
    send = fetchClient(server.base)
    expect((await send("/v1/register", json({ name: "Ada", ...credentials }))).status).toBe(201)
  })
  afterAll(() => server.stop())

  it("answers a refusal with the full stack's bytes, before the body has arrived, and serves logins again once hashing has room", async () => {
    Effect.runSync(gate.close)
    const running = hashing()
    const first = read(send("/v1/login", json(credentials)))
    await running

    const fast = await comparable(await send("/v1/login", json(credentials)))
    const full = await comparable(await send("/v1/login", { method: "POST", headers: { "content-type": "application/json" }, ...chunked(JSON.stringify(credentials)) }))
    expect(fast.status).toBe(503)
    expect(fast.headers["retry-after"]).toBe("1")
    expect(JSON.parse(fast.body)).toEqual({ error: "the server is busy; retry in a moment", code: "unavailable" })
    expect(fast).toEqual(full)

    // The reply comes while half of the body is still to be sent: nothing waited for it.
    const early = await halfSent(server.port, "/v1/register", JSON.stringify({ name: "Bo", email: freshEmail(), password: "securepassword123" }))
    expect(early.status).toBe(503)
    early.finish()

    Effect.runSync(gate.open)
    expect((await first).status).toBe(200)
    expect((await read(send("/v1/login", json(credentials)))).status).toBe(200)
  })
})
