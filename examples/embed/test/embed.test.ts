import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { InMemoryCore } from "@ticketmania/testing"
import { flashSale } from "../src/flashSale.ts"

describe("embedding example", () => {
  it.effect("sells exactly the three seats to ten racing buyers", () =>
    Effect.gen(function*() {
      const { sold, refused, report } = yield* flashSale.pipe(Effect.provide(InMemoryCore))
      assert.strictEqual(sold, 3)
      assert.deepStrictEqual(refused, Array.from({ length: 7 }, () => "SoldOut"))
      assert.deepStrictEqual(report.totals.revenue, [{ currency: "EUR", amount: 4500 }])
    }))

  it("runs as a program and prints its result", async () => {
    const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
    const { stdout } = await promisify(execFile)(process.execPath, [main])
    assert.include(stdout, "sold 3 of 3 seats")
    assert.include(stdout, "revenue: 45 EUR")
  })
})
