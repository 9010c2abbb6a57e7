import { describe, expect, it } from "vitest"
import { redactText, redactValue } from "../src/index.ts"
import { freshEmail, read, signUp } from "./support/client.ts"
import { explodingPorts } from "./support/deps.ts"
import { inProcessApp } from "./support/inProcess.ts"

interface LogLine {
  readonly level: string
  readonly time: string
  readonly message: string
  readonly properties: Record<string, unknown>
  readonly trace?: string
}

const parse = (logs: ReadonlyArray<string>) => logs.map((line) => JSON.parse(line) as LogLine)

describe("request ids and the access log", () => {
  it("echoes a valid X-Request-Id, replaces an unsafe one, and logs one access line per request", async () => {
    const logs: Array<string> = []
    const { send, dispose } = inProcessApp({ logs })
    const { token, userId } = await signUp(send)
    logs.length = 0
    const echoed = await send("/v1/events/7", { headers: { "x-request-id": "abc-123" }, token })
    expect(echoed.headers.get("x-request-id")).toBe("abc-123")
    const replaced = await send("/v1/events", { headers: { "x-request-id": "bad id\u0007" } })
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
    const lines = parse(logs)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatchObject({
      level: "INFO",
      message: "request",
      properties: { request_id: "abc-123", method: "GET", route: "/v1/events/:id", status: 404, user_id: String(userId) }
    })
    expect(lines[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(typeof lines[0]?.properties.duration_ms).toBe("number")
    expect(lines[1]?.properties).toMatchObject({ request_id: replaced.headers.get("x-request-id"), route: "/v1/events", user_id: null })
    await dispose()
  })

  it("never logs passwords or tokens", async () => {
    const logs: Array<string> = []
    const { send, dispose } = inProcessApp({ logs })
    const { token, password } = await signUp(send, freshEmail())
    await send("/v1/events", { token })
    const all = logs.join("\n")
    expect(all).not.toContain(password)
    expect(all).not.toContain(token)
    await dispose()
  })
})

describe("defects", () => {
  it("log the cause with its stack trace and the request id, and answer a generic 500", async () => {
    const logs: Array<string> = []
    const { send, dispose } = inProcessApp({ logs, ports: explodingPorts() })
    const res = await read(send("/v1/events?q=explode", { headers: { "x-request-id": "boom-1" } }))
    expect(res.status).toBe(500)
    const error = parse(logs).find((l) => l.level === "ERROR")
    expect(error).toMatchObject({ message: "unexpected failure while handling the request", properties: { request_id: "boom-1" } })
    expect(error?.trace).toContain("connection lost during SELECT")
    expect(error?.trace).toMatch(/\n\s+at /)
    expect(parse(logs).find((l) => l.message === "request")?.properties).toMatchObject({ status: 500, request_id: "boom-1" })
    expect((await send("/v1/healthcheck")).status).toBe(200)
    await dispose()
  })
})

describe("redaction", () => {
  it("masks emails and phones, drops secrets, tokens and Redacted values", () => {
    expect(redactValue("buyer_email", "buyer@example.com")).toBe("bu***@example.com")
    expect(redactValue("buyerPhone", "+2348123456789")).toBe("************89")
    expect(redactValue("password", "hunter2hunter2")).toBe("[redacted]")
    expect(redactValue("details", { authorization: "Bearer x", nested: { jwt_token: "y", email: "ada@example.com" } })).toEqual({
      authorization: "[redacted]",
      nested: { jwt_token: "[redacted]", email: "ad***@example.com" }
    })
    expect(redactText("user ada@example.com sent eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghij")).toBe(
      "user ad***@example.com sent [redacted token]"
    )
  })
})
