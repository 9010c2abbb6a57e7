// Child processes of the bench: the service and the bare node:http baseline. Each runs on a free
// loopback port, is waited for until it answers, and is stopped with SIGTERM (bounded: SIGKILL
// after 30 s). Their CPU time is read from procfs, so a scenario can report CPU per request.
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { readFileSync } from "node:fs"
import { freePort } from "@ticketmania/testing/net"

/** A started child process serving HTTP on `base`. */
export interface Served {
  readonly base: string
  readonly pid: number
  /** Seconds of CPU (user + system) the process has used so far; null off Linux. */
  cpuSeconds(): number | null
  /** The last lines it wrote, for error messages. */
  log(): string
  stop(): Promise<number | null>
}

const TICKS_PER_SECOND = 100 // USER_HZ: 100 on every Linux architecture Node supports

const cpuSecondsOf = (pid: number): number | null => {
  try {
    // Fields after the command name (which may contain spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return null
  }
}

/**
 * Spawns `node ...args` and waits until `GET {base}{readyPath}` answers 200 (60 s at most).
 * `args` may contain `{port}`, replaced by the free port chosen.
 */
export const startServed = async (
  name: string,
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  readyPath: string
): Promise<Served> => {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, args.map((a) => a.replace("{port}", String(port))), {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let tail = ""
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8_000)
  }
  child.stdout?.on("data", keep)
  child.stderr?.on("data", keep)
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    const ready = await fetch(`${base}${readyPath}`).then((r) => r.status === 200, () => false)
    if (ready) break
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL")
      throw new Error(`${name} did not become ready:\n${tail}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const pid = child.pid ?? 0
  return {
    base,
    pid,
    cpuSeconds: () => cpuSecondsOf(pid),
    log: () => tail,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode
      child.kill("SIGTERM")
      const killer = setTimeout(() => child.kill("SIGKILL"), 30_000)
      const code = await exited
      clearTimeout(killer)
      return code
    }
  }
}
