import { assert, describe, it } from "@effect/vitest"
import { Effect, Metric } from "effect"
import { InMemoryCore } from "@ticketmania/testing"
import { buyLine, createEvent, purchaseTickets, readmeEvent, registerUser, salesReport, ticketsSold } from "./support.ts"

const setup = Effect.gen(function*() {
  const org = yield* registerUser({ name: "Org", email: "org@example.com", password: "securepassword123" })
  const event = yield* createEvent(readmeEvent, org.id)
  const [vip, regular] = event.ticketTypes
  if (vip === undefined || regular === undefined) return yield* Effect.die(new Error("README event lost a type"))
  return { org, event, vip, regular }
})

describe("purchaseTickets", () => {
  it.effect("buys the README's order as a guest: one order, five tickets, the right total", () =>
    Effect.gen(function*() {
      const { event, vip, regular } = yield* setup
      const { receipt, replayed } = yield* purchaseTickets(
        [{ eventId: event.id, ticketTypes: [buyLine(vip.id, 2), buyLine(regular.id, 3)] }],
        { userId: null, idempotencyKey: null }
      )
      assert.isFalse(replayed)
      assert.strictEqual(receipt.order.totalAmount, 175000)
      assert.strictEqual(receipt.order.userId, null)
      assert.strictEqual(receipt.tickets.length, 5)
      assert.isTrue(receipt.tickets.every((t) => t.buyerPhone === "+2348123456789" && t.code.length >= 22))
      const report = yield* salesReport(event.id)
      assert.deepStrictEqual(report.ticketTypes.map((t) => [t.sold, t.revenue]), [[2, 100000], [3, 75000]])
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("records the signed-in buyer on the order and tickets", () =>
    Effect.gen(function*() {
      const { event, vip } = yield* setup
      const buyer = yield* registerUser({ name: "B", email: "b@example.com", password: "securepassword123" })
      const { receipt } = yield* purchaseTickets({ eventId: event.id, ticketTypes: [buyLine(vip.id, 1)] }, {
        userId: buyer.id,
        idempotencyKey: null
      })
      assert.strictEqual(receipt.order.userId, buyer.id)
      assert.strictEqual(receipt.tickets[0]?.userId, buyer.id)
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("replays a retry with the same key and body, and refuses the key with another body", () =>
    Effect.gen(function*() {
      const { event, vip } = yield* setup
      const body = { eventId: event.id, ticketTypes: [buyLine(vip.id, 2)] }
      const context = { userId: null, idempotencyKey: "order-123" }
      const first = yield* purchaseTickets(body, context)
      const again = yield* purchaseTickets(body, context)
      assert.isTrue(again.replayed)
      assert.deepStrictEqual(again.receipt, first.receipt)
      const other = yield* Effect.flip(purchaseTickets({ ...body, ticketTypes: [buyLine(vip.id, 1)] }, context))
      assert.strictEqual(other._tag, "IdempotencyKeyReused")
      assert.strictEqual((yield* salesReport(event.id)).ticketTypes[0]?.sold, 2)
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("refuses an idempotency key that is not printable ASCII", () =>
    Effect.gen(function*() {
      const { event, vip } = yield* setup
      const error = yield* Effect.flip(purchaseTickets({ eventId: event.id, ticketTypes: [buyLine(vip.id, 1)] }, {
        userId: null,
        idempotencyKey: "ключ"
      }))
      assert.strictEqual(error._tag, "ValidationFailed")
      if (error._tag === "ValidationFailed") assert.deepStrictEqual(Object.keys(error.fields), ["Idempotency-Key"])
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("counts tickets sold once, not again on replay", () =>
    Effect.gen(function*() {
      const { event, vip } = yield* setup
      const before = (yield* Metric.value(ticketsSold)).count
      const body = { eventId: event.id, ticketTypes: [buyLine(vip.id, 3)] }
      yield* purchaseTickets(body, { userId: null, idempotencyKey: "k" })
      yield* purchaseTickets(body, { userId: null, idempotencyKey: "k" })
      assert.strictEqual((yield* Metric.value(ticketsSold)).count - before, 3)
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("refuses invalid bodies naming each field, and sells nothing", () =>
    Effect.gen(function*() {
      const { event, vip } = yield* setup
      const error = yield* Effect.flip(purchaseTickets(
        [{ eventId: event.id, ticketTypes: [{ ...buyLine(vip.id, -1), buyerEmail: "nope" }] }],
        { userId: null, idempotencyKey: null }
      ))
      assert.strictEqual(error._tag, "ValidationFailed")
      if (error._tag === "ValidationFailed") {
        assert.deepStrictEqual(Object.keys(error.fields).sort(), ["[0].ticketTypes[0].buyerEmail", "[0].ticketTypes[0].quantity"])
      }
      assert.strictEqual((yield* salesReport(event.id)).totals.sold, 0)
    }).pipe(Effect.provide(InMemoryCore)))
})
