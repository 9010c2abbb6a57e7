import { Duration, Effect, Semaphore } from "effect"
import { availableParallelism } from "node:os"
import { Unavailable } from "../api/errors.ts"

// Password hashing (bcrypt) is the most expensive thing the API does: a burst of logins could eat
// the CPU that ticket sales need. Hashing requests are admitted a few at a time (cores − 1, at
// least 1); one that cannot start within a few seconds is refused with 503 instead of queueing
// without end.

const WAIT = Duration.seconds(3)

/** Admission control for password hashing; build once per server. */
export const makeHashAdmission = Effect.gen(function*() {
  const permits = yield* Semaphore.make(Math.max(1, availableParallelism() - 1))
  const busy = new Unavailable({ error: "the server is busy; retry in a moment", code: "unavailable" })
  return <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Unavailable, R> =>
    Effect.scoped(
      Effect.flatMap(
        Effect.timeoutOrElse(Semaphore.takeScoped(permits, 1), { duration: WAIT, orElse: () => Effect.fail(busy) }),
        () => effect
      )
    )
})
