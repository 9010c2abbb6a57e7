import { Effect, Layer } from "effect"
import { deliverPendingMail, runMailWorker } from "@ticketmania/domain"

/**
 * Delivers the outbox in the background for the service's lifetime. Built before the HTTP server
 * and so stopped after it has drained: on shutdown the worker is interrupted (a message being
 * sent is finished first), then one last pass sends what the final requests queued, bounded so
 * an unreachable SMTP server cannot hold the shutdown; anything left goes out after the restart.
 */
export const MailWorkerLive = Layer.effectDiscard(
  Effect.gen(function*() {
    yield* Effect.addFinalizer(() =>
      deliverPendingMail().pipe(
        Effect.timeoutOrElse({ duration: "10 seconds", orElse: () => Effect.void }),
        Effect.ignore,
        Effect.andThen(Effect.logInfo("shutdown: mail worker stopped"))
      )
    )
    yield* Effect.forkScoped(runMailWorker())
    yield* Effect.logInfo("mail worker started")
  })
)
