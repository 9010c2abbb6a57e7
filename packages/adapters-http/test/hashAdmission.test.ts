import { Effect, Latch } from "effect"
import { makeInMemoryPasswordHasher } from "@ticketmania/testing"
import { afterAll, describe, expect, it } from "vitest"
import { freshEmail, read } from "./support/client.ts"
import { inProcessApp } from "./support/inProcess.ts"

// Password hashing admission: one hash at a time and nobody waiting (HASH_CONCURRENCY=1,
// HASH_QUEUE_MAX=0). The hasher holds each hash until the test lets it go, and says when one
// started, so the test knows a hash is running before it sends the next login.
describe("password hashing admission", () => {
  const gate = Latch.makeUnsafe(true)
  let started: () => void = () => undefined
  const hashing = () => new Promise<void>((resolve) => (started = resolve))
  const hasher = makeInMemoryPasswordHasher(Effect.andThen(Effect.sync(() => started()), gate.await))
  const { send, dispose } = inProcessApp({ hasher, config: { hashing: { concurrency: 1, queue: 0 } } })
  afterAll(() => dispose())

  it("refuses a login at once with 503 and Retry-After while the permitted hashes run, and serves it later", async () => {
    const email = freshEmail()
    const credentials = { email, password: "securepassword123" }
    expect((await send("/v1/register", { method: "POST", json: { name: "Ada", ...credentials } })).status).toBe(201)
    Effect.runSync(gate.close)
    const running = hashing()
    const first = read(send("/v1/login", { method: "POST", json: credentials }))
    await running
    const refused = await read(send("/v1/login", { method: "POST", json: credentials }))
    expect(refused.status).toBe(503)
    expect(refused.body).toEqual({ error: "the server is busy; retry in a moment", code: "unavailable" })
    expect(refused.headers.get("retry-after")).toBe("1")
    Effect.runSync(gate.open)
    expect((await first).status).toBe(200)
    expect((await read(send("/v1/login", { method: "POST", json: credentials }))).status).toBe(200)
  })
})
