import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Json } from "./support/client.ts"
import { startServer } from "./support/socketServer.ts"

// The request examples of the original service's README, sent with curl exactly as written there
// (only the host and the token filled in) to the real server over a socket. The README's event
// is on 2026-06-15, so the server's clock reads the README's own date, 2026-02-07.

const run = promisify(execFile)

/** Runs `curl` with the README's arguments; returns the status and the parsed JSON body. */
const curl = async (args: ReadonlyArray<string>) => {
  const { stdout } = await run("curl", ["-s", "-w", "\n%{http_code}", ...args])
  const cut = stdout.lastIndexOf("\n")
  return { status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) as Json }
}

describe("the README's curl examples", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let url: (path: string) => string
  beforeAll(async () => {
    server = await startServer({ now: "2026-02-07T10:30:00Z" })
    url = (path) => `http://localhost:${server.port}${path}`
  })
  afterAll(() => server.stop())

  it("register, login, create an event, list, read and buy tickets", async () => {
    const registered = await curl(["-X", "POST", url("/v1/register"), "-H", "Content-Type: application/json", "-d", `{
    "name": "John Doe",
    "email": "john@example.com",
    "password": "securepassword123"
  }`])
    expect(registered.status).toBe(201)
    expect(registered.body.user).toMatchObject({ id: 1, name: "John Doe", email: "john@example.com" })
    expect(registered.body.user?.created_at).toMatch(/^2026-02-07T10:30:\d\dZ$/)

    const login = await curl(["-X", "POST", url("/v1/login"), "-H", "Content-Type: application/json", "-d", `{
    "email": "john@example.com",
    "password": "securepassword123"
  }`])
    expect(login.status).toBe(200)
    expect(login.body.token).toMatch(/^eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\./)
    expect(login.body.token_type).toBe("Bearer")
    expect(login.body.user).toMatchObject({ id: 1, name: "John Doe", email: "john@example.com" })
    const token = String(login.body.token)

    const created = await curl(["-X", "POST", url("/v1/create-event"), "-H", "Content-Type: application/json", "-H",
      `Authorization: Bearer ${token}`, "-d", `{
    "title": "Tech Conference 2026",
    "description": "Annual technology conference",
    "location": "Lagos, Nigeria",
    "date": "2026-06-15",
    "start_time": "2026-06-15T09:00:00Z",
    "end_time": "2026-06-15T18:00:00Z",
    "ticket_types": [
      {
        "name": "VIP",
        "price": 50000,
        "currency": "NGN",
        "total_qty": 100
      },
      {
        "name": "Regular",
        "price": 25000,
        "currency": "NGN",
        "total_qty": 500
      }
    ]
  }`])
    expect(created.status).toBe(201)
    expect(created.body.event).toMatchObject({
      id: 1,
      title: "Tech Conference 2026",
      description: "Annual technology conference",
      location: "Lagos, Nigeria",
      date: "2026-06-15",
      start_time: "2026-06-15T09:00:00Z",
      end_time: "2026-06-15T18:00:00Z",
      status: "published",
      ticket_types: [
        { id: 1, name: "VIP", price: 50000, currency: "NGN", total_qty: 100, sold_qty: 0 },
        { id: 2, name: "Regular", price: 25000, currency: "NGN", total_qty: 500, sold_qty: 0 }
      ]
    })

    const list = await curl(["-X", "GET", url("/v1/events")])
    expect(list.status).toBe(200)
    expect(list.body.events).toHaveLength(1)
    expect(list.body.metadata).toEqual({ current_page: 1, per_page: 20, total_pages: 1, total: 1 })

    const one = await curl(["-X", "GET", url("/v1/events/1")])
    expect(one.status).toBe(200)
    expect(one.body.event?.ticket_types?.map((tt) => tt.id)).toEqual([1, 2])

    const bought = await curl(["-X", "POST", url("/v1/buy-ticket"), "-H", "Content-Type: application/json", "-d", `[{
    "eventId": 1,
    "ticketTypes": [
      {
        "ticketTypeId": 1,
        "quantity": 2,
        "buyerEmail": "buyer@example.com",
        "buyerPhone": "+2348123456789"
      },
      {
        "ticketTypeId": 2,
        "quantity": 3,
        "buyerEmail": "buyer@example.com",
        "buyerPhone": "+2348123456789"
      }
    ]
  }]`])
    expect(bought.status).toBe(201)
    expect(bought.body.tickets).toHaveLength(5)
    expect(bought.body.tickets?.[0]).toMatchObject({
      event_id: 1,
      ticket_type_id: 1,
      status: "sold",
      buyer_email: "buyer@example.com",
      buyer_phone: "+2348123456789"
    })
    expect(bought.body.total_amount).toBe(2 * 50000 + 3 * 25000)
    expect(bought.body.currency).toBe("NGN")

    const after = await curl(["-X", "GET", url("/v1/events/1")])
    expect(after.body.event?.ticket_types?.map((tt) => tt.sold_qty)).toEqual([2, 3])
  })
})
