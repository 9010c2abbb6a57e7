import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as fc from "fast-check"
import { TestClock } from "effect/testing"
import { makeEvent, makeUser } from "@ticketmania/testing"
import { buy, makeWorld, soldOn, TTL } from "./support.ts"

// Random interleavings of purchases on two instances (each with its own cache over one
// database), reads and the passing of time. After every step, for each instance and ticket type:
//  - it never shows more sold than the database holds (no sale counted twice);
//  - it never shows less than the database held when it last sold or was refused that type (its
//    own sales are never lost);
//  - once a time to live passed without sales, it shows exactly what the database holds.

type Step =
  | { readonly op: "buy"; readonly on: "a" | "b"; readonly type: number; readonly quantity: number }
  | { readonly op: "read"; readonly on: "a" | "b" }
  | { readonly op: "wait"; readonly ttls: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant("buy" as const),
    on: fc.constantFrom("a" as const, "b" as const),
    type: fc.nat({ max: 1 }),
    quantity: fc.integer({ min: 1, max: 4 })
  }),
  fc.record({ op: fc.constant("read" as const), on: fc.constantFrom("a" as const, "b" as const) }),
  fc.record({ op: fc.constant("wait" as const), ttls: fc.constantFrom(0.5, 1) })
)

const scenarioArb = fc.record({
  totals: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 2, maxLength: 2 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 30 })
})

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

const run = (scenario: Scenario) =>
  Effect.scoped(Effect.gen(function*() {
    const world = yield* makeWorld()
    const event = yield* Effect.provide(
      Effect.flatMap(makeUser(), (user) =>
        makeEvent(user.id, { ticketTypes: scenario.totals.map((totalQty) => ({ totalQty, maxPerOrder: 4 })) })),
      world.database
    )
    // What each instance is sure of: the database's counts when it last sold or was refused.
    const floor = { a: scenario.totals.map(() => 0), b: scenario.totals.map(() => 0) }
    let quietSince = 0
    let elapsed = 0
    for (const step of scenario.steps) {
      if (step.op === "buy") {
        const type = event.ticketTypes[step.type]
        if (type === undefined) continue
        const result = yield* Effect.result(buy(world[step.on], type, step.quantity))
        const truth = yield* soldOn(world.database, event.id)
        if (Result.isSuccess(result) || result.failure._tag === "SoldOut") {
          floor[step.on][step.type] = truth[step.type] ?? 0
        }
        if (Result.isSuccess(result)) quietSince = elapsed
      } else if (step.op === "wait") {
        yield* TestClock.adjust(TTL * step.ttls)
        elapsed += TTL * step.ttls
      }
      const truth = yield* soldOn(world.database, event.id)
      for (const on of ["a", "b"] as const) {
        const seen = yield* soldOn(world[on], event.id)
        seen.forEach((sold, i) => {
          assert.isAtMost(sold, truth[i] ?? 0, `${on} counts a sale twice`)
          assert.isAtLeast(sold, floor[on][i] ?? 0, `${on} lost its own sale`)
        })
        if (elapsed - quietSince >= TTL) assert.deepStrictEqual(seen, truth, `${on} is behind after a quiet time to live`)
      }
    }
  }))

describe("event read cache (property)", () => {
  it("is never ahead of the database, never behind its own sales, and catches up within the time to live", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, (scenario) => Effect.runPromise(run(scenario).pipe(Effect.provide(TestClock.layer())))),
      { numRuns: 200 }
    )
  })
})
