import { Layer } from "effect"
import { coalescePurchases } from "@ticketmania/domain"
import { afterAll, describe, expect, it } from "vitest"
import { line, makeEvent, read, signUp } from "./support/client.ts"
import { inMemoryPorts } from "./support/deps.ts"
import { inProcessApp } from "./support/inProcess.ts"

// Admission control of purchases: with a queue that holds nobody (PURCHASE_QUEUE_MAX reached),
// every purchase is refused at once, and the reply says when to come back.
describe("a purchase refused by admission control", () => {
  const full = coalescePurchases({ windowMillis: 0, maxBatch: 64, batchesInFlight: 2, maxQueued: 0, maxWaitMillis: 100, soldOutTtlMillis: 0, retryAfterSeconds: 3 })
  const { send, dispose } = inProcessApp({ ports: full.pipe(Layer.provideMerge(inMemoryPorts())) })
  afterAll(() => dispose())

  it("answers 503 unavailable with Retry-After, and sells nothing", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const vip = event.ticket_types[0]?.id ?? 0
    const res = await read(send("/v1/orders", { method: "POST", json: { eventId: event.id, ticketTypes: [line(vip, 1)] } }))
    expect(res.status).toBe(503)
    expect(res.body).toEqual({ error: "too many purchases are waiting; retry in 3 s", code: "unavailable" })
    expect(res.headers.get("retry-after")).toBe("3")
    const after = await read(send(`/v1/events/${event.id}`))
    expect(after.body.event?.ticket_types?.[0]?.sold_qty).toBe(0)
  })
})
