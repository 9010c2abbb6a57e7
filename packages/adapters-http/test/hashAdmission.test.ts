import { Effect, Latch, Layer } from "effect"
import { SalesActivity } from "@ticketmania/domain"
import { makeInMemoryPasswordHasher } from "@ticketmania/testing"
import { hashRestWhileSelling } from "../src/handlers/admission.ts"
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
  const { send, dispose } = inProcessApp({ hasher, config: { hashing: { concurrency: 1, queue: 0, restWhileSelling: 0 } } })
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

// Hashing gives way to a sale: while purchases are being sold, a slot rests after each hash
// (HASH_REST_WHILE_SELLING times as long as the hash took) before the next. One slot, nobody
// waiting, hashes of 100 ms and a rest of five times that: right after a registration's reply,
// a login finds the slot still resting and is refused, which also shows that the reply did not
// wait for the rest; without a sale, the slot is free as soon as the hash is over.
describe("password hashing while purchases are being sold", () => {
  const HASH_MILLIS = 100
  const FACTOR = 5
  let selling = true
  const { send, dispose } = inProcessApp({
    hasher: makeInMemoryPasswordHasher(Effect.sleep(`${HASH_MILLIS} millis`)),
    config: { hashing: { concurrency: 1, queue: 0, restWhileSelling: FACTOR } },
    extra: Layer.succeed(SalesActivity, { selling: () => selling })
  })
  afterAll(() => dispose())
  const register = async () => {
    const credentials = { email: freshEmail(), password: "securepassword123" }
    expect((await send("/v1/register", { method: "POST", json: { name: "Ada", ...credentials } })).status).toBe(201)
    return credentials
  }
  const login = (credentials: { readonly email: string; readonly password: string }) =>
    send("/v1/login", { method: "POST", json: credentials }).then((response) => response.status)
  /** Waits out any rest a slot may have begun (a hash and its rest, with time to spare). */
  const restOver = () => new Promise((resolve) => setTimeout(resolve, HASH_MILLIS * (FACTOR + 1)))

  it("rests the slot after a hash during a sale, without holding back the hash's reply", async () => {
    selling = true
    const credentials = await register()
    const replied = performance.now()
    expect(await login(credentials)).toBe(503)
    let status = 503
    while (status === 503 && performance.now() - replied < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      status = await login(credentials)
    }
    expect(status).toBe(200)
    // The slot came free only after its rest of five hashes' time (500 ms), which began as the
    // registration's hash ended, just before its reply.
    expect(performance.now() - replied).toBeGreaterThanOrEqual(HASH_MILLIS * FACTOR - HASH_MILLIS)
  })

  it("frees the slot as soon as the hash is over when nothing is being sold", async () => {
    selling = false
    await restOver()
    const credentials = await register()
    expect(await login(credentials)).toBe(200)
  })

  it("treats a hash whose login fails like any other: rested during a sale, freed at once without", async () => {
    const credentials = await register()
    const wrong = { ...credentials, password: "not-the-password-1" }
    selling = true
    await restOver()
    expect(await login(wrong)).toBe(401)
    expect(await login(credentials)).toBe(503)
    selling = false
    await restOver()
    expect(await login(wrong)).toBe(401)
    expect(await login(credentials)).toBe(200)
  })

  it("rests in proportion to the hash, at most two seconds", () => {
    expect(hashRestWhileSelling(100, 3)).toBe(300)
    expect(hashRestWhileSelling(100, 0)).toBe(0)
    expect(hashRestWhileSelling(5_000, 3)).toBe(2_000)
  })
})
