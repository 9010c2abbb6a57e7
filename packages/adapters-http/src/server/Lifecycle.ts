import { Context, Duration, Effect, Layer } from "effect"

/**
 * The server's life: how many requests are in flight and whether it is draining for shutdown.
 * The edge middleware counts requests and, while draining, asks clients to close their
 * connections; `/readyz` answers 503 from the moment draining starts.
 */
export class Lifecycle extends Context.Service<Lifecycle, {
  /** Whether shutdown has begun. Synchronous: read on every request. */
  readonly isDraining: () => boolean
  readonly startDraining: Effect.Effect<void>
  readonly requestStarted: () => void
  readonly requestFinished: () => void
  readonly inFlight: () => number
  /** Waits until no request is in flight; false if `timeout` passed first. */
  readonly awaitIdle: (timeout: Duration.Duration) => Effect.Effect<boolean>
}>()("@ticketmania/adapters-http/Lifecycle") {
  static readonly layer: Layer.Layer<Lifecycle> = Layer.sync(Lifecycle, () => {
    let draining = false
    let inFlight = 0
    // Waiting polls: it keeps the hot path to a counter increment, and drains are rare and short.
    const poll: Effect.Effect<boolean> = Effect.suspend(() =>
      inFlight === 0 ? Effect.succeed(true) : Effect.flatMap(Effect.sleep(Duration.millis(25)), () => poll)
    )
    return Lifecycle.of({
      isDraining: () => draining,
      startDraining: Effect.sync(() => {
        draining = true
      }),
      requestStarted: () => {
        inFlight++
      },
      requestFinished: () => {
        inFlight--
      },
      inFlight: () => inFlight,
      awaitIdle: (timeout) => Effect.timeoutOrElse(poll, { duration: timeout, orElse: () => Effect.succeed(false) })
    })
  })
}
