import { Cause, Deferred, Duration, Effect, Exit, Layer, Runtime } from "effect"
import type { Server } from "node:http"
import { HttpConfig } from "../config/HttpConfig.ts"
import { Lifecycle } from "./Lifecycle.ts"

// Graceful shutdown as the contract orders it. When the server's scope closes (SIGINT/SIGTERM
// interrupt the program under `NodeRuntime.runMain`): readiness fails, the listener closes, idle
// connections are closed, in-flight requests get up to SHUTDOWN_TIMEOUT to finish (their replies
// close their connections), stragglers are cut; then the layers below the server (database pool,
// mail worker, ...) are released by the composition root's own finalizers, in reverse order.

/** How long finished requests' connections get to close by themselves before they are cut. */
const CLOSE_GRACE = Duration.seconds(2)

/** Drains `server` when the layer's scope closes. Build it after (above) the serving layer. */
export const drainOnShutdown = (server: Server): Layer.Layer<never, never, Lifecycle | HttpConfig> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const lifecycle = yield* Lifecycle
    const { shutdownTimeout } = yield* HttpConfig
    const address = server.address()
    const where = typeof address === "string" || address === null ? String(address) : `${address.address}:${address.port}`
    yield* Effect.logInfo(`HTTP server listening on ${where}`)
    yield* Effect.addFinalizer(() =>
      Effect.gen(function*() {
        yield* lifecycle.startDraining
        yield* Effect.logInfo("shutdown: draining; /readyz now answers 503")
        // Fires once the listener is closed and the last connection has ended.
        const closed = yield* Deferred.make<void>()
        server.close(() => Deferred.doneUnsafe(closed, Effect.void))
        server.closeIdleConnections()
        yield* Effect.logInfo("shutdown: stopped accepting connections").pipe(
          Effect.annotateLogs({ in_flight: lifecycle.inFlight() })
        )
        if (yield* lifecycle.awaitIdle(shutdownTimeout)) {
          yield* Effect.logInfo("shutdown: all in-flight requests finished")
          // Replies written while draining close their connections themselves; connections that
          // were idle since before are closed here. Neither cuts a reply still being sent.
          server.closeIdleConnections()
          yield* Deferred.await(closed).pipe(Effect.timeoutOrElse({ duration: CLOSE_GRACE, orElse: () => Effect.void }))
        } else {
          yield* Effect.logWarning("shutdown: timeout reached; cutting the remaining requests").pipe(
            Effect.annotateLogs({ in_flight: lifecycle.inFlight() })
          )
        }
        server.closeAllConnections()
      })
    )
  }))

/** Logs the end of the HTTP server; build it below the serving layer so it runs after it. */
export const announceStopped: Layer.Layer<never> = Layer.effectDiscard(
  Effect.addFinalizer(() => Effect.logInfo("shutdown: HTTP server stopped"))
)

/**
 * A `NodeRuntime.runMain` teardown under which a shutdown by signal exits 0, as a graceful stop
 * is not a failure; other failures keep their exit codes.
 */
export const gracefulTeardown: Runtime.Teardown = (exit, onExit) => {
  if (Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)) return onExit(0)
  Runtime.defaultTeardown(exit, onExit)
}
