import { Clock, Context, Duration, Effect, Layer, Option, Redacted } from "effect"
import { RateLimiter, type Redis } from "effect/persistence"
import { NodeRedis } from "@effect/platform-node"
import { HttpConfig } from "../config/HttpConfig.ts"

// Per-client-IP token buckets on Effect's RateLimiter: in memory for one instance, in Redis when
// REDIS_URL is set so that several instances share the limits. Login and registration, which
// hash passwords and invite credential stuffing, get a bucket of their own with a far lower rate.

/** Routes probes and scrapers hit; never limited, so a busy client cannot fail the health checks. */
const UNLIMITED = new Set(["/livez", "/readyz", "/metrics"])
const STRICT = new Set(["/v1/login", "/v1/register"])

/** Decides whether a client may make one more request. */
export class ClientRateLimiter extends Context.Service<ClientRateLimiter, {
  /** None when allowed; otherwise the seconds to wait before retrying. */
  readonly check: (client: string, route: string | undefined) => Effect.Effect<Option.Option<number>>
}>()("@ticketmania/adapters-http/ClientRateLimiter") {
  /** Limits from `HttpConfig`; needs a `RateLimiter` (see `RateLimiterLive`). */
  static readonly layer: Layer.Layer<ClientRateLimiter, never, HttpConfig | RateLimiter.RateLimiter> = Layer.effect(
    ClientRateLimiter,
    Effect.gen(function*() {
      const { rateLimit } = yield* HttpConfig
      const limiter = yield* RateLimiter.RateLimiter
      const general = { limit: rateLimit.burst, window: Duration.seconds(rateLimit.burst / rateLimit.rps) }
      const strict = { limit: rateLimit.authPerMinute, window: Duration.minutes(1) }
      return ClientRateLimiter.of({
        check: (client, route) => {
          if (!rateLimit.enabled || (route !== undefined && UNLIMITED.has(route))) return Effect.succeedNone
          const isStrict = route !== undefined && STRICT.has(route)
          const bucket = isStrict ? strict : general
          return limiter.consume({
            algorithm: "token-bucket",
            onExceeded: "fail",
            key: `${isStrict ? "auth" : "api"}:${client}`,
            ...bucket
          }).pipe(
            Effect.as(Option.none<number>()),
            Effect.catch((error) =>
              error.reason._tag === "RateLimitExceeded"
                ? Effect.succeed(Option.some(Math.max(1, Math.ceil(Duration.toSeconds(error.reason.retryAfter)))))
                // Availability over strictness: a broken store must not take the API down.
                : Effect.as(Effect.logWarning("rate limiter store failed; request allowed", error.reason.message), Option.none())
            )
          )
        }
      })
    })
  )
}

/** How long the in-memory store keeps client state before starting afresh. */
const MEMORY_GENERATION = Duration.minutes(15)

/**
 * Effect's in-memory store never forgets a client, so one fed by many addresses grows without end.
 * This one starts a fresh store every `MEMORY_GENERATION`: state stays bounded by the clients of
 * one period, at the price of a limited client getting a fresh bucket once per period.
 */
const layerStoreMemoryBounded = Layer.effect(
  RateLimiter.RateLimiterStore,
  Effect.gen(function*() {
    const fresh = Layer.build(RateLimiter.layerStoreMemory).pipe(Effect.scoped, Effect.map(Context.get(RateLimiter.RateLimiterStore)))
    let store = yield* fresh
    let bornAt = yield* Clock.currentTimeMillis
    const current = Effect.flatMap(Clock.currentTimeMillis, (now) => {
      if (now - bornAt < Duration.toMillis(MEMORY_GENERATION)) return Effect.succeed(store)
      return Effect.map(fresh, (next) => {
        store = next
        bornAt = now
        return next
      })
    })
    return RateLimiter.RateLimiterStore.of({
      fixedWindow: (options) => Effect.flatMap(current, (s) => s.fixedWindow(options)),
      tokenBucket: (options) => Effect.flatMap(current, (s) => s.tokenBucket(options)),
      adaptiveConsume: (options) => Effect.flatMap(current, (s) => s.adaptiveConsume(options)),
      adaptiveFeedback: (options) => Effect.flatMap(current, (s) => s.adaptiveFeedback(options))
    })
  })
)

/**
 * Effect's `RateLimiter` with its store: Redis (`REDIS_URL`, keys prefixed `ticketmania:rl:`) or
 * memory. Redis is connected at start; an unreachable Redis stops start-up.
 */
export const RateLimiterLive: Layer.Layer<RateLimiter.RateLimiter, Redis.RedisError, HttpConfig> = Layer.unwrap(
  HttpConfig.useSync(({ redisUrl }) =>
    Option.match(redisUrl, {
      onNone: () => RateLimiter.layer.pipe(Layer.provide(layerStoreMemoryBounded)),
      onSome: (url) =>
        RateLimiter.layer.pipe(
          Layer.provide(RateLimiter.layerStoreRedis({ prefix: "ticketmania:rl:" })),
          Layer.provide(NodeRedis.layer({ url: Redacted.value(url) }))
        )
    }))
)
