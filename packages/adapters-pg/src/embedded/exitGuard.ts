import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { join } from "node:path"

// A plain Node listener, not Effect code: it runs while the process exits, when nothing else can.
const signalPostmaster = (pid: number) => () => {
  try {
    process.kill(pid, "SIGINT")
  } catch {
    // Already gone: nothing to stop.
  }
}

/**
 * Until the scope closes, asks the server to shut down (SIGINT, PostgreSQL's fast shutdown) if
 * Node exits first — `process.exit` somewhere, an uncaught error — so no orphan keeps the data
 * dir locked. The postmaster's pid is the first line of `postmaster.pid`.
 */
export const stopOnProcessExit = (dataDir: string) =>
  Effect.gen(function*() {
    const text = yield* Effect.tryPromise({ try: () => readFile(join(dataDir, "postmaster.pid"), "utf8"), catch: (e) => e })
    const pid = Number.parseInt(text.split("\n")[0] ?? "", 10)
    if (!Number.isSafeInteger(pid) || pid <= 0) return
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        const listener = signalPostmaster(pid)
        process.on("exit", listener)
        return listener
      }),
      (listener) => Effect.sync(() => process.removeListener("exit", listener))
    )
  })
