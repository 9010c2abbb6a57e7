import { spawn, spawnSync } from "node:child_process"
import { createConnection } from "node:net"
import { freePort } from "@ticketmania/testing/net"

/** A Redis server for a test: its URL and how to stop it (a no-op for one the test did not start). */
export interface TestRedis {
  readonly url: string
  readonly stop: () => Promise<void>
}

const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.end()
      resolve(true)
    })
    socket.on("error", () => resolve(false))
  })

/**
 * A Redis to test against: a private `redis-server` on a free port when the binary is installed
 * (started here, stopped by `stop`), else one already listening on 6379, else undefined. The
 * project starts what it needs rather than relying on a machine's services.
 */
export const startTestRedis = async (): Promise<TestRedis | undefined> => {
  if (spawnSync("redis-server", ["--version"]).status === 0) {
    const port = await freePort()
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore"
    })
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()))
    for (let i = 0; i < 100 && !(await reachable(port)); i++) await new Promise((r) => setTimeout(r, 50))
    return { url: `redis://127.0.0.1:${port}`, stop: () => (child.kill("SIGTERM"), exited) }
  }
  return (await reachable(6379)) ? { url: "redis://127.0.0.1:6379", stop: async () => {} } : undefined
}
