import { createConnection } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer } from "./support/socketServer.ts"

// A client that sends its headers slower than 10 s is cut off (slowloris), over a real socket.

describe("Node server timeouts", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.stop())

  it("answers 408 and closes a connection whose headers take more than 10 s", async () => {
    const started = Date.now()
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: "127.0.0.1", port: server.port }, () => {
        socket.write("GET /livez HTTP/1.1\r\nHost: localhost\r\n")
      })
      let data = ""
      socket.on("data", (chunk) => {
        data += chunk.toString()
      })
      socket.on("close", () => resolve(data))
      socket.on("error", reject)
    })
    const elapsed = Date.now() - started
    expect(reply).toMatch(/^HTTP\/1\.1 408/)
    expect(elapsed).toBeGreaterThanOrEqual(9_500)
    expect(elapsed).toBeLessThan(13_000)
  }, 20_000)
})
