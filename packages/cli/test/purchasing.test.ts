import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Layer } from "effect"
import { TicketInventory } from "@ticketmania/domain"
import { InMemoryStorage } from "@ticketmania/testing"
import { PurchasingConfig, PurchasingLive } from "../src/serve/PurchasingLive.ts"

const settingsFrom = (env: Record<string, string>) => Effect.result(PurchasingConfig.parse(ConfigProvider.fromEnvRecord(env)))

describe("purchase settings of serve", () => {
  it.effect("default to coalescing on, a 2 ms window, batches of 64 two at a time, 1000 waiting for at most 40 ms, a 1 s sold-out memo", () =>
    Effect.gen(function*() {
      const settings = yield* settingsFrom({})
      assert.deepStrictEqual(settings._tag === "Success" ? settings.success : undefined, {
        enabled: true,
        windowMillis: 2,
        maxBatch: 64,
        batchesInFlight: 2,
        maxQueued: 1_000,
        maxWaitMillis: 40,
        soldOutTtlMillis: 1_000
      })
      const tuned = yield* settingsFrom({ PURCHASE_BATCH_WINDOW: "5ms", PURCHASE_QUEUE_MAX: "50", SOLD_OUT_MEMO_TTL: "0" })
      assert.isTrue(tuned._tag === "Success" && tuned.success.windowMillis === 5 && tuned.success.maxQueued === 50)
    }))

  it.effect("refuses values that are not what they should be", () =>
    Effect.gen(function*() {
      for (const env of [{ PURCHASE_COALESCING: "maybe" }, { PURCHASE_BATCH_MAX: "0" }, { PURCHASE_QUEUE_MAX: "lots" }, { SOLD_OUT_MEMO_TTL: "soon" }]) {
        assert.strictEqual((yield* settingsFrom(env))._tag, "Failure", JSON.stringify(env))
      }
    }))

  it.effect("PURCHASE_COALESCING=false leaves the inventory as it is; on, it is decorated", () =>
    Effect.scoped(Effect.gen(function*() {
      const real = yield* Layer.build(InMemoryStorage)
      const build = (env: Record<string, string>) =>
        Layer.build(PurchasingLive.pipe(
          Layer.provide(Layer.succeedContext(real)),
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))
        ))
      const off = yield* build({ PURCHASE_COALESCING: "false" })
      assert.strictEqual(Context.get(off, TicketInventory), Context.get(real, TicketInventory))
      const on = yield* build({})
      assert.notStrictEqual(Context.get(on, TicketInventory), Context.get(real, TicketInventory))
    })))
})
