import { afterAll, describe, expect, it } from "vitest"
import { eventBody, makeEvent, read, signUp } from "./support/client.ts"
import { inProcessApp } from "./support/inProcess.ts"

describe("creating events", () => {
  const { send, dispose } = inProcessApp()
  afterAll(() => dispose())

  it.each(["/v1/create-event", "/v1/events"])("POST %s: 201, Location, the token's user as organizer", async (path) => {
    const { token, userId } = await signUp(send)
    const res = await read(send(path, { method: "POST", token, json: eventBody() }))
    expect(res.status).toBe(201)
    const event = res.body.event
    expect(res.headers.get("location")).toBe(`/v1/events/${event?.id}`)
    expect(event).toMatchObject({ organizer_id: userId, status: "published", date: "2030-06-15", title: "Tech Conference 2030" })
    expect(event?.ticket_types?.[0]).toEqual({
      id: event?.ticket_types?.[0]?.id,
      event_id: event?.id,
      name: "VIP",
      price: 50000,
      currency: "NGN",
      total_qty: 5,
      sold_qty: 0,
      available_qty: 5,
      max_per_order: 10
    })
  })

  it.each(["/v1/create-event", "/v1/events"])("POST %s without a token: 401 authentication_required", async (path) => {
    const res = await read(send(path, { method: "POST", json: eventBody() }))
    expect(res.status).toBe(401)
    expect(res.body.code).toBe("authentication_required")
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="ticketmania"')
  })

  it("lists every invalid field, with paths into ticket_types", async () => {
    const { token } = await signUp(send)
    const res = await read(send("/v1/events", {
      method: "POST",
      token,
      json: eventBody({
        title: "",
        start_time: "2030-06-15T18:00:00Z",
        end_time: "2030-06-15T09:00:00Z",
        ticket_types: [{ name: "VIP", price: 1, currency: "NGN", total_qty: 1 }, { name: "B", price: -1, currency: "naira", total_qty: 1.5 }]
      })
    }))
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({
      title: "must not be empty",
      "ticket_types[1].price": "must be >= 0",
      "ticket_types[1].currency": "must be an ISO 4217 code of three letters",
      "ticket_types[1].total_qty": "must be an integer"
    })
  })
})

describe("GET /v1/events and /v1/events/:id", () => {
  const { send, dispose } = inProcessApp()
  afterAll(() => dispose())

  it("lists published events with page metadata; page_size is an alias of limit", async () => {
    const { token } = await signUp(send)
    await makeEvent(send, token, { title: "Alpha Fest" })
    await makeEvent(send, token, { title: "Beta Fest" })
    await makeEvent(send, token, { title: "Hidden draft", status: "draft" })
    const res = await read(send("/v1/events?page_size=1&sort=title&q=fest"))
    expect(res.status).toBe(200)
    expect(res.body.events?.map((e) => e.title)).toEqual(["Alpha Fest"])
    expect(res.body.metadata).toEqual({ current_page: 1, per_page: 1, total_pages: 2, total: 2 })
    const past = await read(send("/v1/events?page=9"))
    expect(past.status).toBe(200)
    expect(past.body.events).toEqual([])
  })

  it("names every invalid query parameter with 422, under the name the client used", async () => {
    const res = await read(send("/v1/events?page=0&page_size=500&sort=price&from=yesterday"))
    expect(res.status).toBe(422)
    expect(res.body.error).toEqual({
      page: "must be >= 1",
      page_size: "must be <= 100",
      sort: expect.stringMatching(/^must be one of/),
      from: "must be a date in YYYY-MM-DD form"
    })
  })

  it("reads an event; 404 for unknown, non-numeric and other organizers' drafts", async () => {
    const owner = await signUp(send)
    const other = await signUp(send)
    const published = await makeEvent(send, owner.token)
    const draft = await makeEvent(send, owner.token, { status: "draft" })
    expect((await read(send(`/v1/events/${published.id}`))).status).toBe(200)
    for (const path of ["/v1/events/999999", "/v1/events/abc", "/v1/events/-1", "/v1/events/1.5", `/v1/events/${draft.id}`]) {
      const res = await read(send(path))
      expect(res.status, path).toBe(404)
      expect(res.body.code).toBe("not_found")
    }
    expect((await read(send(`/v1/events/${draft.id}`, { token: other.token }))).status).toBe(404)
    expect((await read(send(`/v1/events/${draft.id}`, { token: owner.token }))).status).toBe(200)
  })
})
