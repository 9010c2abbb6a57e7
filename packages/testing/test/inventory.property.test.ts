import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fc from "fast-check"
import { EventRepository, IdempotencyKey, TicketInventory } from "@ticketmania/domain"
import type { Event, PurchaseLine, TicketType } from "@ticketmania/domain"
import { InMemoryStorage, line, makeEvent, makeUser, purchaseCommand } from "@ticketmania/testing"

// Random sequences of purchases against random stock, checked after every step against the
// inventory invariants: sold never exceeds total; sold equals what fresh receipts took; a failed
// purchase or a replay changes nothing; duplicate lines are merged (never oversell).

interface Step {
  readonly lines: ReadonlyArray<{ readonly type: number; readonly quantity: number }>
  readonly key: number | null
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  lines: fc.array(fc.record({ type: fc.nat({ max: 2 }), quantity: fc.integer({ min: -1, max: 6 }) }), {
    minLength: 1,
    maxLength: 4
  }),
  key: fc.option(fc.nat({ max: 3 }), { nil: null })
})

const scenarioArb = fc.record({
  totals: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 3, maxLength: 3 }),
  maxPerOrder: fc.integer({ min: 1, max: 8 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 25 })
})

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

const soldOf = (event: Event) =>
  Effect.gen(function*() {
    const found = yield* (yield* EventRepository).findById(event.id)
    return found._tag === "Some" ? found.value.ticketTypes.map((tt) => tt.soldQty) : []
  })

const runScenario = (scenario: Scenario) =>
  Effect.gen(function*() {
    const inventory = yield* TicketInventory
    const event = yield* makeEvent((yield* makeUser()).id, {
      ticketTypes: scenario.totals.map((totalQty, i) => ({ name: `T${i}`, totalQty, maxPerOrder: scenario.maxPerOrder }))
    })
    const types: ReadonlyArray<TicketType> = event.ticketTypes
    const taken = types.map(() => 0)
    const fingerprints = new Map<number, string>()
    for (const step of scenario.steps) {
      const lines = step.lines.flatMap((l): Array<PurchaseLine> => {
        const type = types[l.type]
        return type === undefined ? [] : [line(type, l.quantity)]
      })
      const [first, ...rest] = lines
      if (first === undefined) continue
      const fingerprint = JSON.stringify(step.lines)
      const idempotency = step.key === null ? null : { key: IdempotencyKey.make(`k${step.key}`), fingerprint }
      const before = yield* soldOf(event)
      const result = yield* Effect.result(inventory.purchase(yield* purchaseCommand([first, ...rest], { idempotency })))
      const after = yield* soldOf(event)
      if (result._tag === "Failure" || result.success.replayed) {
        assert.deepStrictEqual(after, before, "a failed or replayed purchase changed stock")
        if (result._tag === "Success" && step.key !== null) assert.strictEqual(fingerprints.get(step.key), fingerprint)
      } else {
        for (const ticket of result.success.receipt.tickets) {
          const index = types.findIndex((t) => t.id === ticket.ticketTypeId)
          taken[index] = (taken[index] ?? 0) + 1
        }
        if (step.key !== null) fingerprints.set(step.key, fingerprint)
      }
      if (result._tag === "Failure" && result.failure._tag === "IdempotencyKeyReused" && step.key !== null) {
        assert.notStrictEqual(fingerprints.get(step.key), fingerprint)
      }
      after.forEach((sold, i) => {
        assert.isAtMost(sold, scenario.totals[i] ?? 0, "oversold")
        assert.strictEqual(sold, taken[i], "sold differs from what receipts took")
      })
    }
  })

describe("inventory invariants (property)", () => {
  it("hold for any sequence of purchases, retries and bad requests", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, (scenario) =>
        Effect.runPromise(runScenario(scenario).pipe(Effect.provide(Layer.fresh(InMemoryStorage))))
      ),
      { numRuns: 150 }
    )
  })
})
