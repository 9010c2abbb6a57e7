import { createConnection } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer } from "./support/socketServer.ts"

// Requests Node's parser refuses before the app sees them still get the contract's JSON error
// (found by the system tests: 10,000 query keys got a bare 431).

/** Writes `raw` on a fresh connection and resolves with everything the server sent back. */
const exchange = (port: number, raw: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write(raw))
    let data = ""
    socket.on("data", (chunk) => (data += chunk.toString()))
    socket.on("close", () => resolve(data))
    socket.on("error", reject)
  })

const parse = (reply: string) => {
  const [head = "", body = ""] = reply.split("\r\n\r\n")
  return { statusLine: head.split("\r\n")[0], contentType: /content-type: (.*)/i.exec(head)?.[1], body: JSON.parse(body) as unknown }
}

describe("requests refused by Node's HTTP parser", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.stop())

  it("answers headers over the limit with 431 as JSON", async () => {
    const reply = parse(await exchange(server.port, `GET /v1/events HTTP/1.1\r\nHost: x\r\nX-Filler: ${"x".repeat(20_000)}\r\n\r\n`))
    expect(reply).toEqual({
      statusLine: "HTTP/1.1 431 Request Header Fields Too Large",
      contentType: "application/json",
      body: { error: "the request line and headers are larger than the limit", code: "request_header_fields_too_large" }
    })
  })

  it("answers bytes that are not HTTP with 400 bad_request as JSON", async () => {
    const reply = parse(await exchange(server.port, "HELLO\r\n\r\n"))
    expect(reply.statusLine).toBe("HTTP/1.1 400 Bad Request")
    expect(reply.body).toEqual({ error: "the request is not valid HTTP", code: "bad_request" })
  })
})
