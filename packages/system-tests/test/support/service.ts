import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { freePort } from "@ticketmania/testing/net"

// `ticketmania serve` as a real child process, the way an operator runs it: the CLI's entry point
// under the current Node, configured through the environment only, in a working directory of its
// own (so no developer's `.env` or `.data` is picked up), talking real HTTP on 127.0.0.1.

/** The application's entry point (packages/cli), spawned, never imported. */
export const CLI_MAIN = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url))

/** The HMAC secret every test service signs its tokens with (the tests forge tokens with it too). */
export const JWT_SECRET = "system-tests-secret-that-is-long-enough-for-hs256"

/** The environment every test service gets unless a test overrides it. */
export const BASE_ENV: Readonly<Record<string, string>> = {
  APP_ENV: "production",
  JWT_SECRET,
  BCRYPT_COST: "4",
  RATE_LIMIT_ENABLED: "false",
  LOG_LEVEL: "warn",
  SHUTDOWN_TIMEOUT: "20s"
}

/** One JSON log line of the service. */
export interface LogLine {
  readonly level?: string
  readonly message?: string
  readonly [key: string]: unknown
}

/** A running service process. */
export interface Service {
  readonly base: string
  readonly port: number
  readonly child: ChildProcess
  /** Every stdout line parsed as JSON (non-JSON lines are kept as `{ message }`). */
  readonly logs: () => ReadonlyArray<LogLine>
  /** stdout and stderr as text, for failure messages. */
  readonly output: () => string
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  readonly exited: Promise<number | null>
  /** Sends SIGTERM and waits for the exit; SIGKILL after `graceMillis` (a hung process fails the test, not the run). */
  readonly stop: (graceMillis?: number) => Promise<number | null>
}

/** A fresh directory the service may use as its cwd and DATA_DIR, removed by the returned function. */
export const scratchDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "ticketmania-system-"))
  // As root an embedded cluster below it runs as `postgres`, which must get through.
  await chmod(dir, 0o755)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Polls `url` until it answers `status` or `timeoutMillis` pass; true when it did. */
export const waitForStatus = async (url: string, status: number, timeoutMillis: number, intervalMillis = 50): Promise<boolean> => {
  const deadline = Date.now() + timeoutMillis
  while (Date.now() < deadline) {
    const got = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      async (r) => {
        await r.arrayBuffer()
        return r.status
      },
      () => 0
    )
    if (got === status) return true
    await new Promise((resolve) => setTimeout(resolve, intervalMillis))
  }
  return false
}

/**
 * Starts `ticketmania serve` with `BASE_ENV` plus `env` and waits until `/readyz` answers 200
 * (migrations applied, database answering). Fails with the process output if it does not.
 */
export const startService = async (env: Record<string, string>): Promise<Service> => {
  const port = await freePort()
  const scratch = await scratchDir()
  const child = spawn(process.execPath, [CLI_MAIN, "serve", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: scratch.dir,
    env: { ...process.env, DATA_DIR: join(scratch.dir, "data"), ...BASE_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<LogLine> = []
  let output = ""
  createInterface({ input: child.stdout }).on("line", (text) => {
    output += `${text}\n`
    try {
      lines.push(JSON.parse(text) as LogLine)
    } catch {
      lines.push({ message: text })
    }
  })
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const exited = once(child, "exit").then(async ([code]) => {
    await scratch.remove()
    return code as number | null
  })
  const base = `http://127.0.0.1:${port}`
  const ready = await Promise.race([waitForStatus(`${base}/readyz`, 200, 60_000), exited.then(() => false)])
  if (!ready) {
    child.kill("SIGKILL")
    await exited
    throw new Error(`ticketmania serve did not become ready:\n${output}`)
  }
  const stop = async (graceMillis = 30_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited
    child.kill("SIGTERM")
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMillis)
    const code = await exited
    clearTimeout(timer)
    return code
  }
  return { base, port, child, logs: () => lines, output: () => output, exited, stop }
}

/** The service's ERROR log lines (but the mail worker's, which retries by design), for failure messages. */
export const loggedErrors = (service: Service, max = 2): string =>
  JSON.stringify(service.logs().filter((l) => l.level === "ERROR" && l.message !== "mail delivery pass failed").slice(0, max))
