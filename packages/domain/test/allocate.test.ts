import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import {
  allocate,
  Currency,
  Email,
  EventId,
  type EventSaleState,
  lockOrder,
  Phone,
  type PurchaseLine,
  type PurchaseRequest,
  type SaleStock,
  TicketType,
  TicketTypeId
} from "@ticketmania/domain"

const now = DateTime.makeUnsafe("2026-06-01T00:00:00Z")
const event = (id: number, overrides: Partial<EventSaleState> = {}): EventSaleState => ({
  id: EventId.make(id),
  title: `Event ${id}`,
  status: "published",
  startTime: DateTime.makeUnsafe("2026-06-15T09:00:00Z"),
  ...overrides
})
const type = (id: number, eventId: number, overrides: Partial<ConstructorParameters<typeof TicketType>[0]> = {}) =>
  new TicketType({
    id: TicketTypeId.make(id),
    eventId: EventId.make(eventId),
    name: `Type ${id}`,
    price: 1000 * id,
    currency: Currency.make("NGN"),
    totalQty: 10,
    soldQty: 0,
    maxPerOrder: 10,
    ...overrides
  })
const stockOf = (events: ReadonlyArray<EventSaleState>, types: ReadonlyArray<TicketType>): SaleStock => ({
  events: new Map(events.map((e) => [e.id, e])),
  ticketTypes: new Map(types.map((t) => [t.id, t]))
})
const lineOf = (ticketTypeId: number, quantity: number, eventId = 1, buyer = "a@example.com"): PurchaseLine => ({
  eventId: EventId.make(eventId),
  ticketTypeId: TicketTypeId.make(ticketTypeId),
  quantity,
  buyerEmail: Email.make(buyer),
  buyerPhone: Phone.make("+2348123456789"),
  path: `ticketTypes[${ticketTypeId}]`
})
const request = (...lines: [PurchaseLine, ...Array<PurchaseLine>]): PurchaseRequest => ({ lines, userId: null })
const failureOf = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error("expected a failure")
  return result.failure
}

describe("allocate", () => {
  const standard = stockOf([event(1)], [type(1, 1), type(2, 1, { price: 500 })])

  it("allocates the order with totals, takes in id order and tickets in request order", () => {
    const result = allocate(request(lineOf(2, 2), lineOf(1, 1, 1, "b@example.com")), standard, now)
    assert.isTrue(Result.isSuccess(result))
    if (Result.isSuccess(result)) {
      const allocation = result.success
      assert.strictEqual(allocation.totalAmount, 2 * 500 + 1000)
      assert.strictEqual(allocation.currency, "NGN")
      assert.strictEqual(allocation.buyerEmail, "a@example.com")
      assert.deepStrictEqual<unknown>(allocation.takes, [{ ticketTypeId: 1, quantity: 1 }, { ticketTypeId: 2, quantity: 2 }])
      assert.deepStrictEqual(allocation.tickets.map((t) => [t.ticketTypeId, t.price, t.buyerEmail]), [
        [2, 500, "a@example.com"],
        [2, 500, "a@example.com"],
        [1, 1000, "b@example.com"]
      ])
    }
  })

  it("merges duplicate lines of a type, so two small lines cannot oversell", () => {
    const stock = stockOf([event(1)], [type(1, 1, { totalQty: 5 })])
    const error = failureOf(allocate(request(lineOf(1, 3), lineOf(1, 3)), stock, now))
    assert.strictEqual(error._tag, "SoldOut")
    if (error._tag === "SoldOut") assert.deepStrictEqual([error.asked, error.left], [6, 5])
  })

  it("applies the per-order maximum to the merged quantity", () => {
    const stock = stockOf([event(1)], [type(1, 1, { maxPerOrder: 4 })])
    const error = failureOf(allocate(request(lineOf(1, 2), lineOf(1, 3)), stock, now))
    assert.strictEqual(error._tag, "ValidationFailed")
    if (error._tag === "ValidationFailed") {
      assert.deepStrictEqual(Object.keys(error.fields), ["ticketTypes[1].quantity"])
      assert.include(error.fields["ticketTypes[1].quantity"] ?? "", "at most 4")
    }
  })

  it("refuses zero, negative and fractional quantities", () => {
    for (const quantity of [0, -3, 1.5]) {
      const error = failureOf(allocate(request(lineOf(1, quantity)), standard, now))
      assert.strictEqual(error._tag, "ValidationFailed")
    }
  })

  it("refuses more than 100 tickets in one order", () => {
    const stock = stockOf([event(1)], [type(1, 1, { totalQty: 1000, maxPerOrder: 1000 })])
    const error = failureOf(allocate(request(lineOf(1, 60), lineOf(1, 41)), stock, now))
    assert.strictEqual(error._tag, "ValidationFailed")
    if (error._tag === "ValidationFailed") assert.include(error.fields.ticketTypes ?? "", "100")
  })

  it("refuses an order mixing currencies", () => {
    const stock = stockOf([event(1)], [type(1, 1), type(2, 1, { currency: Currency.make("EUR") })])
    const error = failureOf(allocate(request(lineOf(1, 1), lineOf(2, 1)), stock, now))
    assert.strictEqual(error._tag, "ValidationFailed")
    if (error._tag === "ValidationFailed") assert.include(error.fields.ticketTypes ?? "", "currency")
  })

  it("reports sold out with the type, the quantity asked and the quantity left", () => {
    const stock = stockOf([event(1)], [type(1, 1, { totalQty: 10, soldQty: 8, name: "VIP" })])
    const error = failureOf(allocate(request(lineOf(1, 3)), stock, now))
    assert.strictEqual(error._tag, "SoldOut")
    if (error._tag === "SoldOut") {
      assert.deepStrictEqual([error.ticketTypeId, error.ticketTypeName, error.asked, error.left], [1, "VIP", 3, 2])
      assert.include(error.message, "VIP")
    }
  })

  it("sells the very last seat and nothing after it", () => {
    const last = stockOf([event(1)], [type(1, 1, { totalQty: 10, soldQty: 9 })])
    assert.isTrue(Result.isSuccess(allocate(request(lineOf(1, 1)), last, now)))
    const none = stockOf([event(1)], [type(1, 1, { totalQty: 10, soldQty: 10 })])
    assert.strictEqual(failureOf(allocate(request(lineOf(1, 1)), none, now))._tag, "SoldOut")
  })

  it("refuses unknown events and ticket types, and types of another event", () => {
    assert.strictEqual(failureOf(allocate(request(lineOf(1, 1, 7)), standard, now))._tag, "EventNotFound")
    assert.strictEqual(failureOf(allocate(request(lineOf(9, 1)), standard, now))._tag, "TicketTypeNotFound")
    const two = stockOf([event(1), event(2)], [type(1, 1), type(2, 2)])
    assert.strictEqual(failureOf(allocate(request(lineOf(2, 1, 1)), two, now))._tag, "TicketTypeNotFound")
  })

  it("refuses drafts, cancelled events and events already started", () => {
    for (const status of ["draft", "cancelled"] as const) {
      const error = failureOf(allocate(request(lineOf(1, 1)), stockOf([event(1, { status })], [type(1, 1)]), now))
      assert.strictEqual(error._tag, "NotOnSale")
      if (error._tag === "NotOnSale") assert.strictEqual(error.reason, status)
    }
    const atStart = DateTime.makeUnsafe("2026-06-15T09:00:00Z")
    const error = failureOf(allocate(request(lineOf(1, 1)), standard, atStart))
    assert.strictEqual(error._tag, "NotOnSale")
    if (error._tag === "NotOnSale") assert.strictEqual(error.reason, "started")
  })

  it("reports existence before sale state, and validation before availability", () => {
    const draft = stockOf([event(1, { status: "draft" })], [type(1, 1, { soldQty: 10 })])
    assert.strictEqual(failureOf(allocate(request(lineOf(5, 1)), draft, now))._tag, "TicketTypeNotFound")
    const full = stockOf([event(1)], [type(1, 1, { soldQty: 10, maxPerOrder: 2 })])
    assert.strictEqual(failureOf(allocate(request(lineOf(1, 3)), full, now))._tag, "ValidationFailed")
  })
})

describe("lockOrder", () => {
  it("lists each ticket type once, ascending, whatever the request order", () => {
    assert.deepStrictEqual<unknown>(lockOrder(request(lineOf(9, 1), lineOf(2, 1), lineOf(9, 2), lineOf(5, 1))), [2, 5, 9])
  })
})
