import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { freshDatabase, runCli, startServer } from "./support.ts"

let db: Awaited<ReturnType<typeof freshDatabase>>

beforeAll(async () => {
  db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
})
afterAll(async () => {
  await db.drop()
})

// Several CLI processes and a service process: a generous limit for a loaded machine.
describe("CLI and HTTP service on one database", { timeout: 120_000 }, () => {
  it("the CLI sets up an event, the service sells tickets for it, the CLI reports the revenue", async () => {
    const cli = (args: ReadonlyArray<string>, input = "") => runCli(args, db.env, input)
    expect((await cli(["users", "create", "--name", "Org", "--email", "org@example.com", "--password-stdin"], "securepassword123\n")).code).toBe(0)
    const created = await cli([
      "--json", "events", "create", "--organizer", "org@example.com", "--title", "Afrobeats Live",
      "--start", "2036-03-01T20:00:00Z", "--end", "2036-03-01T23:30:00Z",
      "--ticket-type", "VIP:50000:NGN:10", "--ticket-type", "Regular:25000:NGN:100"
    ])
    const event = (JSON.parse(created.stdout) as { event: { id: number; ticket_types: Array<{ id: number }> } }).event
    const [vip, regular] = event.ticket_types

    const server = await startServer(db.env)
    const buy = (body: unknown) =>
      fetch(`${server.base}/v1/buy-ticket`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    const line = (ticketTypeId: number | undefined, quantity: number) => ({
      ticketTypeId,
      quantity,
      buyerEmail: "fan@example.com",
      buyerPhone: "+2348123456789"
    })
    const first = await buy([{ eventId: event.id, ticketTypes: [line(vip?.id, 2), line(regular?.id, 3)] }])
    const second = await buy({ eventId: event.id, ticketTypes: [line(regular?.id, 1)] })
    const refused = await buy({ eventId: event.id, ticketTypes: [line(vip?.id, 9)] })
    expect([first.status, second.status, refused.status]).toEqual([201, 201, 409])
    expect(await server.stop()).toBe(0)

    const report = await cli(["--json", "sales", "report", String(event.id)])
    expect(JSON.parse(report.stdout)).toMatchObject({
      event_id: event.id,
      ticket_types: [{ name: "VIP", sold: 2, left: 8, revenue: 100000 }, { name: "Regular", sold: 4, left: 96, revenue: 100000 }],
      totals: { sold: 6, left: 104, revenue: [{ currency: "NGN", amount: 200000 }] }
    })
    const text = await cli(["sales", "report", String(event.id)])
    expect(text.stdout).toContain("revenue 2000.00 NGN")
  })
})
