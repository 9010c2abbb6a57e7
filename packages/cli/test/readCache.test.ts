import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { freshDatabase, startServer } from "./support.ts"

// `serve` answers event reads from its cache (@ticketmania/adapters-cache). Against PostgreSQL and
// through HTTP: what a server sells shows in its own replies at once; what another server on the
// same database sells shows once that server's cache entry expired (EVENT_CACHE_TTL).

let db: Awaited<ReturnType<typeof freshDatabase>>
let servers: Array<Awaited<ReturnType<typeof startServer>>> = []

beforeAll(async () => {
  db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
})
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  await db.drop()
})

interface TicketTypeJson {
  readonly id: number
  readonly sold_qty: number
  readonly available_qty: number
}
interface EventJson {
  readonly id: number
  readonly ticket_types: ReadonlyArray<TicketTypeJson>
}

const json = async <A>(response: Response): Promise<A> => {
  const text = await response.text()
  if (!response.ok) throw new Error(`${response.status} ${text}`)
  return JSON.parse(text) as A
}

const post = (base: string, path: string, body: unknown, token?: string) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body)
  })

const sold = async (base: string, eventId: number) =>
  (await json<{ event: EventJson }>(await fetch(`${base}/v1/events/${eventId}`))).event.ticket_types.map((t) => t.sold_qty)

const buy = (base: string, eventId: number, ticketTypeId: number, quantity: number) =>
  post(base, "/v1/buy-ticket", { eventId, ticketTypes: [{ ticketTypeId, quantity, buyerEmail: "fan@example.com", buyerPhone: "+2348123456789" }] })

describe("serve's event read cache on PostgreSQL", () => {
  it("shows a server's own sales at once, and another server's within EVENT_CACHE_TTL", async () => {
    const a = await startServer({ ...db.env, EVENT_CACHE_TTL: "1h" })
    const b = await startServer({ ...db.env, EVENT_CACHE_TTL: "300ms" })
    servers = [a, b]
    expect((await post(a.base, "/v1/register", { name: "Org", email: "org@example.com", password: "securepassword123" })).status).toBe(201)
    const { token } = await json<{ token: string }>(await post(a.base, "/v1/login", { email: "org@example.com", password: "securepassword123" }))
    const start = new Date(Date.now() + 30 * 86_400_000)
    const { event } = await json<{ event: EventJson }>(await post(a.base, "/v1/events", {
      title: "Cached Concert",
      start_time: start.toISOString(),
      end_time: new Date(start.getTime() + 3_600_000).toISOString(),
      ticket_types: [{ name: "Pit", price: 1000, currency: "NGN", total_qty: 5 }, { name: "Seat", price: 500, currency: "NGN", total_qty: 50, max_per_order: 50 }]
    }, token))
    const [pit, seat] = event.ticket_types
    if (pit === undefined || seat === undefined) throw new Error("no ticket types")

    // Both servers have the event cached (a's entry lives an hour).
    expect(await sold(a.base, event.id)).toEqual([0, 0])
    expect(await sold(b.base, event.id)).toEqual([0, 0])
    const listed = async (base: string) =>
      (await json<{ events: Array<EventJson> }>(await fetch(`${base}/v1/events?available=true&q=Cached`))).events.map((e) => e.id)
    expect(await listed(a.base)).toEqual([event.id])

    expect((await buy(a.base, event.id, seat.id, 3)).status).toBe(201)
    expect(await sold(a.base, event.id)).toEqual([0, 3])
    expect((await buy(a.base, event.id, pit.id, 5)).status).toBe(201)
    expect(await sold(a.base, event.id)).toEqual([5, 3])
    expect(await listed(a.base)).toEqual([event.id])

    // b sells the remaining seats: a learns only from its own refused purchase (its entry lives
    // an hour), and at once.
    expect((await buy(b.base, event.id, seat.id, 10)).status).toBe(201)
    const refused = await buy(a.base, event.id, seat.id, 40)
    expect(refused.status).toBe(409)
    expect(await sold(a.base, event.id)).toEqual([5, 13])

    // a's sales reach b once b's entry expired: poll, bounded.
    let seen: Array<number> = []
    for (let i = 0; i < 100 && seen.join() !== "5,13"; i++) {
      seen = await sold(b.base, event.id)
      if (seen.join() !== "5,13") await new Promise((r) => setTimeout(r, 100))
    }
    expect(seen).toEqual([5, 13])

    // Selling out through a drops the event from a's "available" listing at once.
    expect((await buy(a.base, event.id, seat.id, 37)).status).toBe(201)
    expect((await buy(a.base, event.id, seat.id, 1)).status).toBe(409)
    expect(await sold(a.base, event.id)).toEqual([5, 50])
    expect(await listed(a.base)).toEqual([])
  })
})
