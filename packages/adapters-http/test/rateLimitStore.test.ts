import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { ClientRateLimiter, HttpConfig, RateLimiterLive } from "../src/index.ts"

// A bucket that refills once in ~3 hours: only the in-memory store's periodic fresh start can
// give the client a request back within the hour.
const config = HttpConfig.layerTest({ rateLimit: { enabled: true, rps: 0.0001, burst: 1, authPerMinute: 1 } })
const limiter = ClientRateLimiter.layer.pipe(Layer.provide(RateLimiterLive), Layer.provide(config), Layer.orDie)

describe("the in-memory rate limit store", () => {
  it.effect("forgets its clients every 15 minutes, so its memory stays bounded", () =>
    Effect.gen(function*() {
      const { check } = yield* ClientRateLimiter
      assert.isTrue(Option.isNone(yield* check("203.0.113.7", "/v1/events")))
      assert.isTrue(Option.isSome(yield* check("203.0.113.7", "/v1/events")))
      yield* TestClock.adjust(Duration.minutes(14))
      assert.isTrue(Option.isSome(yield* check("203.0.113.7", "/v1/events")))
      yield* TestClock.adjust(Duration.minutes(2))
      assert.isTrue(Option.isNone(yield* check("203.0.113.7", "/v1/events")))
    }).pipe(Effect.provide(limiter)))
})
