import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Layer } from "effect"
import { EventRepository, TicketInventory } from "@ticketmania/domain"
import { InMemoryStorage } from "@ticketmania/testing"
import { CachedEventPortsLive, EventCacheTtl, parseTtl } from "../src/index.ts"

const ttlFrom = (env: Record<string, string>) => Effect.result(EventCacheTtl.parse(ConfigProvider.fromEnvRecord(env)))

describe("EVENT_CACHE_TTL", () => {
  it("reads milliseconds, 500ms, 2s, 1h and Effect durations", () => {
    assert.strictEqual(parseTtl("1500"), 1500)
    assert.strictEqual(parseTtl("500ms"), 500)
    assert.strictEqual(parseTtl("2s"), 2000)
    assert.strictEqual(parseTtl("1h"), 3_600_000)
    assert.strictEqual(parseTtl("3 seconds"), 3000)
    assert.isUndefined(parseTtl("soon"))
  })

  it.effect("defaults to 1 s and refuses what is not a duration", () =>
    Effect.gen(function*() {
      const defaulted = yield* ttlFrom({})
      assert.isTrue(defaulted._tag === "Success" && defaulted.success === 1_000)
      const bad = yield* ttlFrom({ EVENT_CACHE_TTL: "soon" })
      assert.strictEqual(bad._tag, "Failure")
    }))

  it.effect("0 passes the real ports through untouched", () =>
    Effect.scoped(Effect.gen(function*() {
      const real = yield* Layer.build(InMemoryStorage)
      const off = yield* Layer.build(
        CachedEventPortsLive.pipe(
          Layer.provide(Layer.succeedContext(real)),
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({ EVENT_CACHE_TTL: "0" })))
        )
      )
      assert.strictEqual(Context.get(off, EventRepository), Context.get(real, EventRepository))
      assert.strictEqual(Context.get(off, TicketInventory), Context.get(real, TicketInventory))
      const on = yield* Layer.build(CachedEventPortsLive.pipe(Layer.provide(Layer.succeedContext(real))))
      assert.notStrictEqual(Context.get(on, EventRepository), Context.get(real, EventRepository))
    })))
})
