import { Duration, Effect, Layer } from "effect"
import { TicketInventory } from "@ticketmania/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { line, makeEvent, read, signUp } from "./support/client.ts"
import { inMemoryPorts } from "./support/deps.ts"
import { transports, useApp } from "./support/transports.ts"

// A purchase whose storage never answers (a lock never released, a database gone silent) is
// answered 503 once REQUEST_TIMEOUT is up, and its work is interrupted rather than left behind.
// Over the socket a guest purchase takes the fast path (server/fastPurchases.ts) and a signed-in
// one the full stack; in process, both take the full stack.

// Long enough that a read sent beside a stuck purchase is answered first even on a loaded machine.
const TIMEOUT_MILLIS = 1_000

/** The in-memory ports with an inventory that never answers, counting the purchases given up. */
const stuckInventory = (abandoned: { count: number }) =>
  Layer.succeed(
    TicketInventory,
    TicketInventory.of({
      purchase: () => Effect.onInterrupt(Effect.never, () => Effect.sync(() => abandoned.count++)),
      purchaseMany: () => Effect.onInterrupt(Effect.never, () => Effect.sync(() => abandoned.count++))
    })
  ).pipe(Layer.provideMerge(inMemoryPorts()))

describe.each(transports)("a purchase that outlives REQUEST_TIMEOUT (%s)", (_transport, start) => {
  const abandoned = { count: 0 }
  const send = useApp(start, {
    ports: stuckInventory(abandoned),
    config: { requestTimeout: Duration.millis(TIMEOUT_MILLIS) }
  }, { beforeAll, afterAll })
  let token = ""
  let eventId = 0
  let typeId = 0
  beforeAll(async () => {
    token = (await signUp(send)).token
    const event = await makeEvent(send, token)
    eventId = event.id
    typeId = event.ticket_types[0]?.id ?? 0
  })

  it.each([
    ["a guest", () => ({})],
    ["a signed-in buyer", () => ({ token })]
  ])("is answered 503 for %s, and its work is interrupted", async (_who, credentials) => {
    const before = abandoned.count
    const started = performance.now()
    const res = await read(send("/v1/orders", { method: "POST", ...credentials(), json: { eventId, ticketTypes: [line(typeId, 1)] } }))
    const took = performance.now() - started
    expect(res.status).toBe(503)
    expect(res.body).toEqual({ error: "the request took too long to process", code: "unavailable" })
    // Answered by this deadline, not by the 30-s default (the margin is for a slow machine).
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MILLIS - 5)
    expect(took).toBeLessThan(TIMEOUT_MILLIS + 5_000)
    await expect.poll(() => abandoned.count - before).toBe(1)
  })

  it("keeps answering other requests meanwhile", async () => {
    let stuckAnswered = false
    const stuck = send("/v1/orders", { method: "POST", json: { eventId, ticketTypes: [line(typeId, 1)] } })
      .finally(() => {
        stuckAnswered = true
      })
    const listed = await read(send(`/v1/events/${eventId}`))
    expect(listed.status).toBe(200)
    expect(stuckAnswered, "the read was answered while the purchase still waited").toBe(false)
    expect((await stuck).status).toBe(503)
  })
})
