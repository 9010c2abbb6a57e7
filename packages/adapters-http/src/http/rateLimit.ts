import { Context, Duration, Effect, Layer, Option, Redacted } from "effect"
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

/**
 * Effect's `RateLimiter` with its store: Redis (`REDIS_URL`, keys prefixed `ticketmania:rl:`) or
 * memory. Redis is connected at start; an unreachable Redis stops start-up.
 */
export const RateLimiterLive: Layer.Layer<RateLimiter.RateLimiter, Redis.RedisError, HttpConfig> = Layer.unwrap(
  HttpConfig.useSync(({ redisUrl }) =>
    Option.match(redisUrl, {
      onNone: () => RateLimiter.layer.pipe(Layer.provide(RateLimiter.layerStoreMemory)),
      onSome: (url) =>
        RateLimiter.layer.pipe(
          Layer.provide(RateLimiter.layerStoreRedis({ prefix: "ticketmania:rl:" })),
          Layer.provide(NodeRedis.layer({ url: Redacted.value(url) }))
        )
    }))
)
