import { Clock, Context, Data, Effect, Semaphore } from "effect"
import { SalesActivity } from "@ticketmania/domain"
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
//
// Hashing also gives way to a sale. On a machine of few cores, one hash after another takes a
// core from the service and its database however low its priority, and a login storm cut the
// sales of a flash sale by a fifth to a half (BENCHMARKS.md, seventh round). So while purchases
// are being sold (`SalesActivity`), a slot rests after each hash, `HASH_REST_WHILE_SELLING`
// times as long as the hash took (3 by default: a quarter of the pace), before it takes the next:
// logins and registrations keep being served during a sale, more slowly, and the rest go on
// being refused at once with Retry-After. The reply to the hash that was made does not wait.

/** How long a request admitted to wait is expected to wait at most. */
const EXPECTED_WAIT_MILLIS = 1_000

/** How long it may wait before it is refused after all (hashes got slower than expected). */
const WAIT_MILLIS = 3_000

/** Seconds a refused request is told to wait: a few hashes' time. */
export const HASHING_RETRY_AFTER_SECONDS = 1

/** How much the latest hash moves the average (an exponentially weighted mean). */
const WEIGHT = 0.2

/** Longest rest after one hash: a hash slowed by a stalled machine must not close hashing for long. */
const MAX_REST_MILLIS = 2_000

/** How long a slot rests, while purchases are being sold, after a hash that took `hashMillis`. */
export const hashRestWhileSelling = (hashMillis: number, factor: number): number =>
  Math.min(MAX_REST_MILLIS, Math.max(0, hashMillis * factor))

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
    const { concurrency, queue, restWhileSelling } = settings
    const sales = yield* SalesActivity
    const permits = yield* Semaphore.make(concurrency)
    const busy = new HashingBusy({ retryAfterSeconds: HASHING_RETRY_AFTER_SECONDS })
    let inside = 0 // running, resting and waiting
    let averageMillis = 0 // how long a slot is held per hash: the hash, and its rest during a sale

    /** Whether one more request would wait longer than EXPECTED_WAIT_MILLIS, or past the queue bound. */
    const full = () => {
      const ahead = inside - concurrency + 1
      return ahead > queue || (ahead > 0 && (ahead * averageMillis) / concurrency > EXPECTED_WAIT_MILLIS)
    }

    const leave = Effect.sync(() => {
      inside--
    })
    const free = Effect.andThen(Semaphore.release(permits, 1), leave)

    // Once the hash is over, whatever its outcome: the slot is freed now, or after its rest in a
    // fiber of its own, so that the reply goes out at once.
    const release = (start: number) =>
      Effect.flatMap(Clock.currentTimeMillis, (end) => {
        const rest = sales.selling() ? hashRestWhileSelling(end - start, restWhileSelling) : 0
        const held = end - start + rest
        averageMillis = averageMillis === 0 ? held : averageMillis + WEIGHT * (held - averageMillis)
        return rest === 0 ? free : Effect.asVoid(Effect.forkDetach(Effect.ensuring(Effect.sleep(rest), free)))
      })

    const admitted = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | HashingBusy, R> =>
      Effect.suspend(() => {
        if (full()) return Effect.fail(busy)
        inside++
        const take = Effect.timeoutOrElse(Semaphore.take(permits, 1), {
          duration: WAIT_MILLIS,
          orElse: () => Effect.fail(busy)
        })
        return Effect.uninterruptibleMask((restore) =>
          Effect.flatMap(Effect.onError(restore(take), () => leave), () =>
            Effect.flatMap(Clock.currentTimeMillis, (start) => Effect.onExit(restore(effect), () => release(start))))
        )
      })
    return { full, admitted }
  })
