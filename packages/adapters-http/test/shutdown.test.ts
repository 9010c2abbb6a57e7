import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { freshEmail } from "./support/client.ts"

// SIGTERM while requests are in flight: every request is answered, the steps are logged in the
// contract's order, and the process exits 0.

const CHILD = fileURLToPath(new URL("./support/childServer.ts", import.meta.url))

const startChild = async (env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, [CHILD], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } })
  const lines: Array<{ level: string; message: string }> = []
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (text) => {
      const line = JSON.parse(text) as { level: string; message: string }
      lines.push(line)
      const port = /listening on .*:(\d+)$/.exec(line.message)?.[1]
      if (port !== undefined) resolve(Number(port))
    })
    child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)))
  })
  return { child, lines, port: await listening }
}

const exitCode = async (child: ChildProcess) => {
  const [code] = (await once(child, "exit")) as [number | null]
  return code
}

describe("graceful shutdown", () => {
  it("on SIGTERM answers every in-flight request, logs each step and exits 0", async () => {
    const { child, lines, port } = await startChild()
    const register = () =>
      fetch(`http://127.0.0.1:${port}/v1/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Ada", email: freshEmail(), password: "securepassword123" })
      }).then((res) => res.status)
    const inFlight = [register(), register(), register()]
    await new Promise((resolve) => setTimeout(resolve, 150))
    const exited = exitCode(child)
    child.kill("SIGTERM")
    expect(await Promise.all(inFlight)).toEqual([201, 201, 201])
    expect(await exited).toBe(0)
    const steps = lines.map((l) => l.message).filter((m) => m.startsWith("shutdown:"))
    expect(steps).toEqual([
      "shutdown: draining; /readyz now answers 503",
      "shutdown: stopped accepting connections",
      "shutdown: all in-flight requests finished",
      "shutdown: HTTP server stopped"
    ])
  }, 20_000)

  it("refuses new connections once shutdown has begun", async () => {
    const { child, port } = await startChild()
    const exited = exitCode(child)
    const slow = fetch(`http://127.0.0.1:${port}/v1/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada", email: freshEmail(), password: "securepassword123" })
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    child.kill("SIGINT")
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expect(fetch(`http://127.0.0.1:${port}/livez`)).rejects.toThrow()
    expect((await slow).status).toBe(201)
    expect(await exited).toBe(0)
  }, 20_000)

  it("cuts requests still running at SHUTDOWN_TIMEOUT and still exits 0", async () => {
    const { child, lines, port } = await startChild({ TEST_SHUTDOWN_TIMEOUT_MS: "100" })
    const register = () =>
      fetch(`http://127.0.0.1:${port}/v1/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Ada", email: freshEmail(), password: "securepassword123" })
      }).then((res) => res.status, () => "cut")
    // Each takes at least 300 ms of hashing; the deadline passes 200 ms after they start.
    const requests = [register(), register(), register(), register()]
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = Date.now()
    const exited = exitCode(child)
    child.kill("SIGTERM")
    expect(await exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(await Promise.all(requests)).toContain("cut")
    expect(lines.map((l) => l.message)).toContain("shutdown: timeout reached; cutting the remaining requests")
  }, 20_000)
})
