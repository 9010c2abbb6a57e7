import { readFileSync } from "node:fs"
import { connect, type Socket } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer } from "./support/socketServer.ts"

// The opening of a sale is a thousand buyers connecting in the same instant, while the event loop
// is busy with the requests before them. The kernel completes the handshakes meanwhile, but only
// as many as the listen backlog holds; past it, it drops the SYNs, and those buyers wait for their
// own retransmission, a second later (Node's default backlog, 511, did that to 1–2% of a
// 1,000-buyer bench run). The server's backlog (`LISTEN_BACKLOG`) is larger than such a crowd.

/** What the kernel grants a listen backlog at most (Linux); elsewhere assume the usual 4096. */
const kernelCap = () => {
  try {
    return Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8"))
  } catch {
    return 4096
  }
}

describe("a crowd connecting at once", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  const sockets: Array<Socket> = []
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await server.stop()
  })

  it("is accepted whole while the event loop is busy, none waiting for a SYN retransmission", async () => {
    const crowd = Math.min(1000, kernelCap() - 24)
    const connected = Array.from({ length: crowd }, () => {
      const socket = connect({ host: "127.0.0.1", port: server.port })
      sockets.push(socket)
      return new Promise<number>((resolve, reject) => {
        socket.once("connect", () => resolve(performance.now()))
        socket.once("error", reject)
      })
    })
    // Hold the event loop, as a burst of requests does; the kernel queues the handshakes.
    const busyUntil = performance.now() + 300
    while (performance.now() < busyUntil) {
      // busy, on purpose
    }
    const released = performance.now()
    const times = await Promise.all(connected)
    // Without room in the backlog, part of the crowd connects only at the retransmission, about
    // 700 ms after the loop is free again.
    expect(Math.max(...times) - released).toBeLessThan(400)
  }, 20_000)
})
