import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { eventBody, fetchClient, freshEmail, line, makeEvent, read, type Send, signUp } from "./support/client.ts"
import { explodingPorts } from "./support/deps.ts"
import { startServer } from "./support/socketServer.ts"

// Every status of the contract, over a real socket, each with the JSON envelope.

describe("every status code, over HTTP", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let send: Send
  beforeAll(async () => {
    server = await startServer({ ports: explodingPorts(), ready: Effect.succeed(false) })
    send = fetchClient(server.base)
  })
  afterAll(() => server.stop())

  it("200, 201", async () => {
    expect((await send("/v1/healthcheck")).status).toBe(200)
    const res = await send("/v1/register", { method: "POST", json: { name: "A", email: freshEmail(), password: "securepassword123" } })
    expect(res.status).toBe(201)
  })

  it("400 bad_request", async () => {
    const res = await read(send("/v1/login", { method: "POST", json: "{oops" }))
    expect(res).toMatchObject({ status: 400, body: { code: "bad_request" } })
  })

  it("401 invalid_token, authentication_required, invalid_credentials", async () => {
    expect((await read(send("/v1/events", { token: "x.y.z" }))).body.code).toBe("invalid_token")
    expect((await read(send("/v1/events", { method: "POST", json: eventBody() }))).body.code).toBe("authentication_required")
    const login = await read(send("/v1/login", { method: "POST", json: { email: freshEmail(), password: "whatever123" } }))
    expect(login).toMatchObject({ status: 401, body: { code: "invalid_credentials" } })
  })

  it("404 not_found for an unknown route, as JSON", async () => {
    const res = await read(send("/v1/nothing-here"))
    expect(res).toMatchObject({ status: 404, body: { error: "the requested resource could not be found", code: "not_found" } })
    expect(res.headers.get("content-type")).toBe("application/json")
  })

  it("405 method_not_allowed with Allow", async () => {
    const res = await read(send("/v1/events/1", { method: "DELETE" }))
    expect(res).toMatchObject({ status: 405, body: { code: "method_not_allowed" } })
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
  })

  it("409 sold_out", async () => {
    const { token } = await signUp(send)
    const event = await makeEvent(send, token)
    const res = await read(send("/v1/buy-ticket", { method: "POST", json: [{ eventId: event.id, ticketTypes: [line(event.ticket_types[0]?.id ?? 0, 6)] }] }))
    expect(res).toMatchObject({ status: 409, body: { code: "sold_out" } })
  })

  it("413 payload_too_large for a body over 1 MiB", async () => {
    const res = await read(send("/v1/register", { method: "POST", json: JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) }) }))
    expect(res).toMatchObject({ status: 413, body: { code: "payload_too_large" } })
  })

  it("415 unsupported_media_type", async () => {
    const res = await read(send("/v1/register", { method: "POST", body: "name=a", headers: { "content-type": "application/x-www-form-urlencoded" } }))
    expect(res).toMatchObject({ status: 415, body: { code: "unsupported_media_type" } })
  })

  it("422 validation_failed", async () => {
    const res = await read(send("/v1/register", { method: "POST", json: { name: "A" } }))
    expect(res).toMatchObject({ status: 422, body: { code: "validation_failed" } })
  })

  it("500 internal_error for a defect, saying nothing about it, and the server keeps serving", async () => {
    const res = await read(send("/v1/events?q=explode"))
    expect(res).toMatchObject({
      status: 500,
      body: { error: "the server encountered a problem and could not process your request", code: "internal_error" }
    })
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|password|stack|Error/)
    expect((await send("/v1/events")).status).toBe(200)
  })

  it("503 unavailable when the database does not answer", async () => {
    const res = await read(send("/readyz"))
    expect(res).toMatchObject({ status: 503, body: { error: "the database does not answer", code: "unavailable" } })
    expect((await send("/livez")).status).toBe(200)
  })
})

describe("429 over HTTP", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  beforeAll(async () => {
    server = await startServer({ config: { rateLimit: { enabled: true, rps: 1, burst: 2, authPerMinute: 2 } } })
  })
  afterAll(() => server.stop())

  it("answers 429 rate_limited with Retry-After", async () => {
    const send = fetchClient(server.base)
    const statuses = [await send("/v1/events"), await send("/v1/events"), await send("/v1/events")].map((r) => r.status)
    expect(statuses).toEqual([200, 200, 429])
    const res = await read(send("/v1/events"))
    expect(res.body).toEqual({ error: "too many requests; slow down", code: "rate_limited" })
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/)
  })
})
