import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect, Exit, Redacted, Scope } from "effect"
import { makeTestDatabase } from "@ticketmania/adapters-pg/testing"
import { freePort } from "@ticketmania/testing/net"

/** The CLI's entry point, run as a real process like a user would. */
export const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url))

/** What a finished CLI process left behind. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `ticketmania ...args` to completion with `env` added and `input` on stdin. */
export const runCli = (args: ReadonlyArray<string>, env: Record<string, string>, input = ""): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: "pipe" })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })

/**
 * A fresh database for one test file on the run's test server, dropped by the returned cleanup.
 * The CLI processes reach it through `DATABASE_URL`.
 */
export const freshDatabase = async (serverUrl: string) => {
  const scope = await Effect.runPromise(Scope.make())
  const url = await Effect.runPromise(Scope.provide(makeTestDatabase(serverUrl), scope))
  return {
    env: { DATABASE_URL: Redacted.value(url), LOG_LEVEL: "warn", BCRYPT_COST: "4" },
    drop: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** Starts `ticketmania serve` as a child process and waits until `/readyz` answers 200. */
export const startServer = async (env: Record<string, string>) => {
  const port = await freePort()
  const child = spawn(process.execPath, [MAIN, "serve", "--port", String(port), "--host", "127.0.0.1"], {
    env: { ...process.env, ...env, APP_ENV: "development", RATE_LIMIT_ENABLED: "false" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let log = ""
  child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false)
    if (ready) break
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not become ready:\n${log}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    base,
    log: () => log,
    stop: async () => {
      child.kill("SIGTERM")
      return exited
    }
  }
}
