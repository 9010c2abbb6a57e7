import { afterAll, describe, expect, it } from "vitest"
import { line, makeEvent, read, signUp } from "./support/client.ts"
import { inProcessApp } from "./support/inProcess.ts"

describe("POST /v1/buy-ticket and /v1/orders", () => {
  const { send, dispose } = inProcessApp()
  afterAll(() => dispose())

  it.each(["/v1/buy-ticket", "/v1/orders"])("%s sells a single object body as a guest: 201 receipt", async (path) => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const vip = event.ticket_types[0]?.id ?? 0
    const res = await read(send(path, { method: "POST", json: { eventId: event.id, ticketTypes: [line(vip, 2)] } }))
    expect(res.status).toBe(201)
    expect(res.body.order).toMatchObject({ user_id: null, buyer_email: "buyer@example.com", total_amount: 100000, currency: "NGN" })
    expect(res.body.tickets).toHaveLength(2)
    const ticket = res.body.tickets?.[0]
    expect(ticket).toMatchObject({ event_id: event.id, ticket_type_id: vip, status: "sold", user_id: null, order_id: res.body.order?.id })
    expect(String(ticket?.code).length).toBeGreaterThanOrEqual(22)
    expect(res.body.tickets?.[1]?.code).not.toBe(ticket?.code)
    expect(res.headers.get("idempotent-replayed")).toBeNull()
  })

  it("records the buyer's user id when a valid token is sent", async () => {
    const { token, userId } = await signUp(send)
    const event = await makeEvent(send, token)
    const res = await read(send("/v1/orders", { method: "POST", token, json: [{ eventId: event.id, ticketTypes: [line(event.ticket_types[1]?.id ?? 0, 1)] }] }))
    expect(res.status).toBe(201)
    expect(res.body.order?.user_id).toBe(userId)
    expect(res.body.tickets?.[0]?.user_id).toBe(userId)
  })

  it("refuses more than is left with 409 sold_out naming the type, asked and left; sells nothing", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const [vip, regular] = [event.ticket_types[0]?.id ?? 0, event.ticket_types[1]?.id ?? 0]
    await send("/v1/orders", { method: "POST", json: { eventId: event.id, ticketTypes: [line(vip, 4)] } })
    const res = await read(send("/v1/orders", { method: "POST", json: { eventId: event.id, ticketTypes: [line(regular, 1), line(vip, 2)] } }))
    expect(res.status).toBe(409)
    expect(res.body.code).toBe("sold_out")
    expect(res.body.error).toBe(`not enough "VIP" tickets (ticket type ${vip}): asked for 2, only 1 left`)
    const after = await read(send(`/v1/events/${event.id}`))
    expect(after.body.event?.ticket_types?.map((tt) => tt.sold_qty)).toEqual([4, 0])
  })

  it("merges a ticket type named twice, so two lines cannot oversell", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const vip = event.ticket_types[0]?.id ?? 0
    const res = await read(send("/v1/orders", { method: "POST", json: { eventId: event.id, ticketTypes: [line(vip, 3), line(vip, 3)] } }))
    expect(res.status).toBe(409)
    expect(res.body.code).toBe("sold_out")
  })

  it("answers 404 for an unknown event or ticket type, 409 not_on_sale for a draft", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const draft = await makeEvent(send, token, { status: "draft" })
    const unknownEvent = await read(send("/v1/orders", { method: "POST", json: { eventId: 999999, ticketTypes: [line(1, 1)] } }))
    expect(unknownEvent.status).toBe(404)
    const foreignType = await read(send("/v1/orders", { method: "POST", json: { eventId: event.id, ticketTypes: [line(draft.ticket_types[0]?.id ?? 0, 1)] } }))
    expect(foreignType.status).toBe(404)
    const notOnSale = await read(send("/v1/orders", { method: "POST", json: { eventId: draft.id, ticketTypes: [line(draft.ticket_types[0]?.id ?? 0, 1)] } }))
    expect(notOnSale.status).toBe(409)
    expect(notOnSale.body.code).toBe("not_on_sale")
  })

  it("lists every invalid field of the body with 422", async () => {
    const res = await read(send("/v1/orders", {
      method: "POST",
      json: [{ eventId: "one", ticketTypes: [{ ticketTypeId: 1, quantity: -2, buyerEmail: "x", buyerPhone: "12" }] }]
    }))
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({
      "[0].eventId": expect.any(String),
      "[0].ticketTypes[0].quantity": "must be >= 1",
      "[0].ticketTypes[0].buyerEmail": "must be a valid email address",
      "[0].ticketTypes[0].buyerPhone": "must be 7 to 15 digits with an optional leading +"
    })
  })

  it("replays a retry with the same Idempotency-Key: same status and body, marked, nothing more sold", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const vip = event.ticket_types[0]?.id ?? 0
    const body = { eventId: event.id, ticketTypes: [line(vip, 1)] }
    const headers = { "idempotency-key": "order-7f3a" }
    const first = await read(send("/v1/orders", { method: "POST", json: body, headers }))
    const again = await read(send("/v1/orders", { method: "POST", json: body, headers }))
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    const after = await read(send(`/v1/events/${event.id}`))
    expect(after.body.event?.ticket_types?.[0]?.sold_qty).toBe(1)

    const reused = await read(send("/v1/orders", { method: "POST", json: { ...body, ticketTypes: [line(vip, 2)] }, headers }))
    expect(reused.status).toBe(422)
    expect(reused.body.code).toBe("idempotency_key_reused")

    const badKey = await read(send("/v1/orders", { method: "POST", json: body, headers: { "idempotency-key": "é".repeat(3) } }))
    expect(badKey.status).toBe(422)
    expect(badKey.body.error).toEqual({ "Idempotency-Key": "must be 1 to 255 printable ASCII characters" })
  })
})
