import { afterEach, describe, expect, inject, it } from "vitest"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { SmtpTestServer, type SmtpTestServerOptions } from "@ticketmania/testing/smtp"
import { freePort } from "@ticketmania/testing/net"
import { freshDatabase, runCli, startServer } from "./support.ts"

// Mail end to end: the real service (child process, real PostgreSQL outbox, its worker) talking
// to a real SMTP server started by the test.

// Services stop first: an SMTP server waits for its clients' pooled connections to close.
const services: Array<() => Promise<unknown>> = []
const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const stop of services.splice(0)) await stop()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const smtpServer = async (options: SmtpTestServerOptions = {}) => {
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(SmtpTestServer.layer({ plainOnly: true, ...options }), scope))
  const smtp = Context.get(context, SmtpTestServer)
  const close = () => Effect.runPromise(Scope.close(scope, Exit.void))
  cleanups.push(close)
  return { port: smtp.port, received: () => Effect.runPromise(smtp.received), close }
}

const database = async () => {
  const db = await freshDatabase(inject("ticketmaniaDatabaseUrl"))
  cleanups.push(db.drop)
  return db
}

const service = async (env: Record<string, string>, smtpPort: number) => {
  const server = await startServer({
    ...env,
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtpPort),
    SMTP_SENDER: "TicketMania <tickets@example.com>",
    SMTP_TLS: "none"
  })
  services.push(server.stop)
  return server
}

/** Polls `check` every 100 ms until it holds, for at most `seconds`. */
const eventually = async <A>(what: string, seconds: number, check: () => Promise<A | undefined>): Promise<A> => {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const post = (base: string, path: string, body: unknown, token?: string) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body)
  })

const register = (base: string, email: string) => post(base, "/v1/register", { name: "Ann Fan", email, password: "securepassword123" })

// Quoted-printable bodies wrap long lines with "=" + CRLF; join them before looking for codes.
const unwrap = (raw: string) => raw.replace(/=\r?\n/g, "")

// Each test starts service processes and waits on real delivery: generous limits for a loaded machine.
describe("email", { timeout: 120_000 }, () => {
  it("sends the welcome mail and an order confirmation listing every ticket code", async () => {
    const db = await database()
    const smtp = await smtpServer()
    const server = await service(db.env, smtp.port)
    expect((await register(server.base, "ann@example.com")).status).toBe(201)
    await runCli(["users", "create", "--name", "Org", "--email", "org@example.com", "--password-stdin"], db.env, "securepassword123\n")
    const created = await runCli([
      "--json", "events", "create", "--organizer", "org@example.com", "--title", "Afrobeats Live",
      "--start", "2036-03-01T20:00:00Z", "--end", "2036-03-01T23:00:00Z", "--ticket-type", "VIP:50000:NGN:10"
    ], db.env)
    const event = (JSON.parse(created.stdout) as { event: { id: number; ticket_types: Array<{ id: number }> } }).event
    const bought = await post(server.base, "/v1/buy-ticket", {
      eventId: event.id,
      ticketTypes: [{ ticketTypeId: event.ticket_types[0]?.id, quantity: 3, buyerEmail: "buyer@example.com", buyerPhone: "+2348123456789" }]
    })
    expect(bought.status).toBe(201)
    const codes = ((await bought.json()) as { tickets: Array<{ code: string }> }).tickets.map((t) => t.code)

    const mails = await eventually("both mails", 20, async () => {
      const all = await smtp.received()
      return all.length >= 3 ? all : undefined
    })
    const to = (address: string) => mails.filter((m) => m.to.includes(address))
    expect(to("ann@example.com")).toHaveLength(1)
    expect(to("ann@example.com")[0]?.raw).toContain("Subject: Welcome to TicketMania!")
    const [confirmation] = to("buyer@example.com")
    expect(confirmation?.raw).toContain("Subject: Your tickets for Afrobeats Live")
    expect(confirmation?.from).toBe("tickets@example.com")
    for (const code of codes) expect(unwrap(confirmation?.raw ?? "")).toContain(code)
  })

  it("loses nothing while the SMTP server is down and delivers once it is back", async () => {
    const db = await database()
    const port = await freePort()
    const server = await service(db.env, port)
    expect((await register(server.base, "early@example.com")).status).toBe(201)
    await eventually("a failed attempt", 20, async () => (server.log().includes("mail delivery failed, will retry") ? true : undefined))
    const smtp = await smtpServer({ port })
    const [mail] = await eventually("the delayed mail", 30, async () => {
      const all = await smtp.received()
      return all.length > 0 ? all : undefined
    })
    expect(mail?.to).toEqual(["early@example.com"])
    await new Promise((r) => setTimeout(r, 1500))
    expect(await smtp.received()).toHaveLength(1)
  })

  it("answers registration without waiting for a slow SMTP server", async () => {
    const db = await database()
    const smtp = await smtpServer({ delayMillis: 4000 })
    const server = await service(db.env, smtp.port)
    const reply = await register(server.base, "quick@example.com")
    // The reply came while the server still held the message: it never waited for SMTP.
    expect(reply.status).toBe(201)
    expect(await smtp.received()).toEqual([])
    await eventually("the slow mail", 20, async () => ((await smtp.received()).length === 1 ? true : undefined))
  })

  it("never delivers a message twice when two instances share the outbox", async () => {
    const db = await database()
    const smtp = await smtpServer()
    const [a, b] = [await service(db.env, smtp.port), await service(db.env, smtp.port)]
    const emails = Array.from({ length: 16 }, (_, i) => `fan${i}@example.com`)
    // One after another, alternating instances: password hashing admits only a few at a time by
    // design, and this test is about the outbox, not about a login storm.
    const statuses: Array<number> = []
    for (const [i, email] of emails.entries()) statuses.push((await register(i % 2 === 0 ? a.base : b.base, email)).status)
    expect(statuses).toEqual(emails.map(() => 201))
    await eventually("every welcome mail", 30, async () => ((await smtp.received()).length >= emails.length ? true : undefined))
    await new Promise((r) => setTimeout(r, 1500))
    const recipients = (await smtp.received()).flatMap((m) => m.to).sort()
    expect(recipients).toEqual([...emails].sort())
  })
})
