import { Effect, Layer } from "effect"
import { runMailWorker } from "@ticketmania/domain"

/**
 * Delivers the outbox in the background for the service's lifetime. On shutdown the worker is
 * interrupted; a message being sent is finished first (the domain sends each uninterruptibly).
 */
export const MailWorkerLive = Layer.effectDiscard(
  Effect.gen(function*() {
    yield* Effect.logInfo("mail worker started")
    yield* Effect.forkScoped(runMailWorker())
    yield* Effect.addFinalizer(() => Effect.logInfo("shutdown: mail worker stopped"))
  })
)
