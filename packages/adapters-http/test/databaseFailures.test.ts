import { Cause, Effect, Layer } from "effect"
import { SqlError } from "effect/sql"
import { EventRepository, SoldOut, TicketInventory, TicketTypeId } from "@ticketmania/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { line, makeEvent, read, signUp } from "./support/client.ts"
import { inMemoryPorts } from "./support/deps.ts"
import { transports, useApp } from "./support/transports.ts"

// The storage adapters let SQL failures die. A broken or timed-out database is "unavailable" in
// the contract (503, retry later), not a bug (500); found by the system tests, where killed
// database connections answered 500.

const lost = (message: string) =>
  new SqlError.SqlError({ reason: new SqlError.ConnectionError({ cause: new Error(message), message }) })

// What the driver reports when a server that is starting up or recovering refuses a connection.
const startingUp = Object.assign(new Error("the database system is starting up"), { code: "57P03" })

/** In-memory ports whose storage breaks on request: by buyer email for purchases, by `q` for listings. */
const breakablePorts = () =>
  Layer.mergeAll(
    Layer.effect(
      EventRepository,
      EventRepository.useSync((real) =>
        EventRepository.of({
          ...real,
          listPublished: (query) =>
            query.q === "connection-lost"
              ? Effect.die(lost("Connection closed"))
              : query.q === "lock-timeout"
              ? Effect.die(new SqlError.SqlError({ reason: new SqlError.LockTimeoutError({ cause: new Error("55P03") }) }))
              : query.q === "starting-up"
              ? Effect.die(new SqlError.SqlError({ reason: new SqlError.UnknownError({ cause: startingUp }) }))
              : query.q === "bug"
              ? Effect.die(new SqlError.SqlError({ reason: new SqlError.SqlSyntaxError({ cause: new Error("42601") }) }))
              : real.listPublished(query)
        }))
    ),
    Layer.effect(
      TicketInventory,
      TicketInventory.useSync((real) =>
        TicketInventory.of({
          purchase: (command) => {
            const email = command.request.lines[0].buyerEmail
            if (email === "lost@example.com") return Effect.die(lost("Socket error"))
            // The sale was refused, then the ROLLBACK met a dead connection: both are in the cause.
            if (email === "rollback-lost@example.com") {
              const refused = new SoldOut({ ticketTypeId: TicketTypeId.make(1), ticketTypeName: "VIP", asked: 1, left: 0 })
              return Effect.failCause(Cause.combine(Cause.fail(refused), Cause.die(lost("Connection closed"))))
            }
            return real.purchase(command)
          },
          purchaseMany: real.purchaseMany
        }))
    )
  ).pipe(Layer.provideMerge(inMemoryPorts()))

describe.each(transports)("database failures (%s)", (_transport, start) => {
  const send = useApp(start, { ports: breakablePorts() }, { beforeAll, afterAll })

  it("a lost connection is 503 unavailable, and the server keeps serving", async () => {
    const res = await read(send("/v1/events?q=connection-lost"))
    expect(res).toMatchObject({ status: 503, body: { error: "the database is unavailable; retry in a moment", code: "unavailable" } })
    expect((await send("/v1/events")).status).toBe(200)
  })

  it("a lock or statement timeout is 503 unavailable", async () => {
    expect((await read(send("/v1/events?q=lock-timeout"))).status).toBe(503)
  })

  it("a server that is starting up, shutting down or recovering (SQLSTATE 57P0x) is 503", async () => {
    expect((await read(send("/v1/events?q=starting-up"))).status).toBe(503)
  })

  it("any other SQL failure is still a bug: 500 internal_error", async () => {
    expect((await read(send("/v1/events?q=bug"))).body).toMatchObject({ code: "internal_error" })
  })

  it("a purchase whose connection is lost is 503", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const ticketTypeId = event.ticket_types[0]?.id ?? 0
    const res = await read(send("/v1/buy-ticket", { method: "POST", json: { eventId: event.id, ticketTypes: [{ ...line(ticketTypeId, 1), buyerEmail: "lost@example.com" }] } }))
    expect(res).toMatchObject({ status: 503, body: { code: "unavailable" } })
  })

  it("a refused purchase whose rollback met a dead connection is 503, not 500", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const ticketTypeId = event.ticket_types[0]?.id ?? 0
    const res = await read(send("/v1/buy-ticket", {
      method: "POST",
      json: { eventId: event.id, ticketTypes: [{ ...line(ticketTypeId, 1), buyerEmail: "rollback-lost@example.com" }] }
    }))
    expect(res).toMatchObject({ status: 503, body: { code: "unavailable" } })
  })
})
