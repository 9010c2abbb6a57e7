import { Clock, Context, Data, Effect, Semaphore } from "effect"
import type { HttpServerResponse } from "effect/http"
import { Unavailable } from "../api/errors.ts"
import type { HttpConfigShape } from "../config/HttpConfig.ts"
import { errorResponse } from "../http/errorResponse.ts"

// Password hashing (bcrypt) is the most expensive thing the API does: a burst of logins could eat
// the CPU that ticket sales need. Hashing requests run a few at a time (`HASH_CONCURRENCY`, cores −
// 1 by default); a few more may wait their turn, as many as can start within a second at the pace
// hashes have been going (so fewer at a high bcrypt cost) and never more than `HASH_QUEUE_MAX`.
// The rest are refused at once with 503 and Retry-After: a refusal costs microseconds, where
// queueing them all would only make every login slow and hold their connections open. A request
// is refused before its body is even read, and the server's fast path (`fastHashRefusals.ts`)
// refuses without the HTTP stack, since a storm of logins arrives all at once and every
// millisecond spent turning it away delays the purchases waiting on the same event loop.

/** How long a request admitted to wait is expected to wait at most. */
const EXPECTED_WAIT_MILLIS = 1_000

/** How long it may wait before it is refused after all (hashes got slower than expected). */
const WAIT_MILLIS = 3_000

/** Seconds a refused request is told to wait: a few hashes' time. */
export const HASHING_RETRY_AFTER_SECONDS = 1

/** How much the latest hash moves the average (an exponentially weighted mean). */
const WEIGHT = 0.2

/** A hashing request refused because enough are running and waiting already. */
export class HashingBusy extends Data.TaggedError("HashingBusy")<{ readonly retryAfterSeconds: number }> {}

/** The reply to a refused hashing request: 503 with Retry-After. */
export const hashingBusyResponse = (busy: HashingBusy): HttpServerResponse.HttpServerResponse =>
  errorResponse(
    new Unavailable({ error: "the server is busy; retry in a moment", code: "unavailable" }),
    { "retry-after": String(busy.retryAfterSeconds) }
  )

/** Admission control for password hashing. */
export interface HashAdmissionShape {
  /** Whether a hashing request arriving now would be refused (cheap: no state changes). */
  readonly full: () => boolean
  /** Runs `effect` once admitted, or fails with `HashingBusy`. */
  readonly admitted: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | HashingBusy, R>
}

/**
 * The server's admission, shared by the handlers and the fast path; none (the default) when the
 * app runs without the Node server in front, and the handlers then make their own.
 */
export const HashAdmission = Context.Reference<HashAdmissionShape | undefined>("@ticketmania/adapters-http/HashAdmission", {
  defaultValue: () => undefined
})

/** Admission control for password hashing; build once per server. */
export const makeHashAdmission = (settings: HttpConfigShape["hashing"]): Effect.Effect<HashAdmissionShape> =>
  Effect.gen(function*() {
    const { concurrency, queue } = settings
    const permits = yield* Semaphore.make(concurrency)
    const busy = new HashingBusy({ retryAfterSeconds: HASHING_RETRY_AFTER_SECONDS })
    let inside = 0 // running and waiting
    let averageMillis = 0

    /** Whether one more request would wait longer than EXPECTED_WAIT_MILLIS, or past the queue bound. */
    const full = () => {
      const ahead = inside - concurrency + 1
      return ahead > queue || (ahead > 0 && (ahead * averageMillis) / concurrency > EXPECTED_WAIT_MILLIS)
    }

    const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.flatMap(Clock.currentTimeMillis, (start) =>
        Effect.ensuring(
          effect,
          Effect.map(Clock.currentTimeMillis, (end) => {
            averageMillis = averageMillis === 0 ? end - start : averageMillis + WEIGHT * (end - start - averageMillis)
          })
        ))

    const admitted = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | HashingBusy, R> =>
      Effect.suspend(() => {
        if (full()) return Effect.fail(busy)
        inside++
        const admitted = Effect.timeoutOrElse(Semaphore.takeScoped(permits, 1), {
          duration: WAIT_MILLIS,
          orElse: () => Effect.fail(busy)
        })
        return Effect.scoped(Effect.flatMap(admitted, () => timed(effect))).pipe(Effect.ensuring(Effect.sync(() => inside--)))
      })
    return { full, admitted }
  })
