import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { join } from "node:path"

/** A PostgreSQL server that another process started on a cluster directory. */
export interface RunningServer {
  readonly pid: number
  readonly port: number
}

// Signal 0 only asks whether the process exists; EPERM means it does, under another user (the
// server runs as `postgres` when we are root).
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM"
  }
}

/**
 * The server already running on `dataDir`, read from its `postmaster.pid` (line 1: the PID, line 4:
 * the port), or undefined when none is: no file, or a stale one whose process is gone (PostgreSQL
 * then starts over it by itself).
 */
export const runningServer = (dataDir: string): Effect.Effect<RunningServer | undefined> =>
  Effect.promise(() => readFile(join(dataDir, "postmaster.pid"), "utf8").catch(() => "")).pipe(
    Effect.map((text) => {
      const [pidLine, , , portLine] = text.split("\n")
      const pid = Number(pidLine)
      const port = Number(portLine)
      return Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && port > 0 && alive(pid) ? { pid, port } : undefined
    })
  )
