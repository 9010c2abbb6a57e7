import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import * as fc from "fast-check"
import {
  allocateBatch,
  type BatchDecision,
  type BatchEntry,
  batchLockOrder,
  Currency,
  Email,
  EventId,
  type EventSaleState,
  Phone,
  type PurchaseLine,
  type SaleStock,
  type StoredKey,
  TicketType,
  TicketTypeId,
  UserId
} from "@ticketmania/domain"

const now = DateTime.makeUnsafe("2026-06-01T00:00:00Z")
const event = (id: number, status: EventSaleState["status"] = "published"): EventSaleState => ({
  id: EventId.make(id),
  title: `Event ${id}`,
  status,
  startTime: DateTime.makeUnsafe("2026-06-15T09:00:00Z")
})
const type = (id: number, eventId: number, totalQty: number, maxPerOrder = 10) =>
  new TicketType({
    id: TicketTypeId.make(id),
    eventId: EventId.make(eventId),
    name: `Type ${id}`,
    price: 1000,
    currency: Currency.make("NGN"),
    totalQty,
    soldQty: 0,
    maxPerOrder
  })
const stockOf = (events: ReadonlyArray<EventSaleState>, types: ReadonlyArray<TicketType>): SaleStock => ({
  events: new Map(events.map((e) => [e.id, e])),
  ticketTypes: new Map(types.map((t) => [t.id, t]))
})
const lineOf = (ticketTypeId: number, quantity: number, eventId = 1): PurchaseLine => ({
  eventId: EventId.make(eventId),
  ticketTypeId: TicketTypeId.make(ticketTypeId),
  quantity,
  buyerEmail: Email.make("a@example.com"),
  buyerPhone: Phone.make("+2348123456789"),
  path: `ticketTypes[${ticketTypeId}]`
})
const FREE: StoredKey = { _tag: "Free" }
const entry = (
  lines: [PurchaseLine, ...Array<PurchaseLine>],
  options: { readonly key?: string; readonly fingerprint?: string; readonly stored?: StoredKey; readonly userId?: number } = {}
): BatchEntry => ({
  request: { lines, userId: options.userId === undefined ? null : UserId.make(options.userId) },
  now,
  idempotency: options.key === undefined ? null : { key: options.key, fingerprint: options.fingerprint ?? "f" },
  stored: options.stored ?? FREE
})
/** A decision as a short label: `Sell:n`, the error's tag, `Replay`, `ReplaySale:i`. */
const label = (d: BatchDecision): string => {
  switch (d._tag) {
    case "Sell":
      return `Sell:${d.allocation.tickets.length}`
    case "Refuse":
      return d.error._tag
    case "Replay":
      return "Replay"
    case "ReplaySale":
      return `ReplaySale:${d.index}`
  }
}

describe("allocateBatch", () => {
  it("decides in arrival order, each purchase against the stock the earlier ones left", () => {
    const { decisions, stock } = allocateBatch(
      [entry([lineOf(1, 2)]), entry([lineOf(1, 4)]), entry([lineOf(1, 3)]), entry([lineOf(1, 1)])],
      stockOf([event(1)], [type(1, 1, 5)])
    )
    assert.deepStrictEqual(decisions.map(label), ["Sell:2", "SoldOut", "Sell:3", "SoldOut"])
    const refused = decisions[1]
    if (refused?._tag === "Refuse" && refused.error._tag === "SoldOut") assert.deepStrictEqual([refused.error.asked, refused.error.left], [4, 3])
    const third = decisions[2]
    assert.strictEqual(third?._tag === "Sell" ? third.stock.ticketTypes.get(TicketTypeId.make(1))?.soldQty : -1, 2)
    assert.strictEqual(stock.ticketTypes.get(TicketTypeId.make(1))?.soldQty, 5)
  })

  it("never lets an invalid, unknown, not-on-sale or sold-out purchase fail the others", () => {
    const { decisions, stock } = allocateBatch(
      [
        entry([lineOf(1, 3)]), // over the per-order maximum of 2
        entry([lineOf(99, 1)]), // no such ticket type
        entry([lineOf(2, 1, 2)]), // a draft event
        entry([lineOf(1, 2)]),
        entry([lineOf(1, 1)]) // none left
      ],
      stockOf([event(1), event(2, "draft")], [type(1, 1, 2, 2), type(2, 2, 5)])
    )
    assert.deepStrictEqual(decisions.map(label), ["ValidationFailed", "TicketTypeNotFound", "NotOnSale", "Sell:2", "SoldOut"])
    assert.deepStrictEqual([...stock.ticketTypes.values()].map((t) => t.soldQty), [2, 0])
  })

  it("treats keys as retries would: in progress, replayed, reused, or repeated within the batch", () => {
    const { decisions, stock } = allocateBatch(
      [
        entry([lineOf(1, 1)], { key: "busy", stored: { _tag: "Busy" } }),
        entry([lineOf(1, 1)], { key: "old", fingerprint: "a", stored: { _tag: "Remembered", fingerprint: "a" } }),
        entry([lineOf(1, 2)], { key: "old", fingerprint: "b", stored: { _tag: "Remembered", fingerprint: "a" } }),
        entry([lineOf(1, 1)], { key: "new", fingerprint: "a" }),
        entry([lineOf(1, 1)], { key: "new", fingerprint: "a" }),
        entry([lineOf(1, 2)], { key: "new", fingerprint: "b" }),
        entry([lineOf(1, 1)], { key: "new", fingerprint: "a", userId: 7 }) // another buyer's key
      ],
      stockOf([event(1)], [type(1, 1, 10)])
    )
    assert.deepStrictEqual(decisions.map(label), [
      "IdempotencyInProgress",
      "Replay",
      "IdempotencyKeyReused",
      "Sell:1",
      "ReplaySale:3",
      "IdempotencyKeyReused",
      "Sell:1"
    ])
    assert.strictEqual(stock.ticketTypes.get(TicketTypeId.make(1))?.soldQty, 2)
  })

  it("leaves a key free for a later purchase of the batch when its first use was refused", () => {
    const { decisions } = allocateBatch(
      [entry([lineOf(1, 9)], { key: "k", fingerprint: "a" }), entry([lineOf(1, 1)], { key: "k", fingerprint: "b" })],
      stockOf([event(1)], [type(1, 1, 3)])
    )
    assert.deepStrictEqual(decisions.map(label), ["SoldOut", "Sell:1"])
  })

  it("locks the union of the ticket types, ascending", () => {
    const requests = [entry([lineOf(3, 1), lineOf(1, 1)]), entry([lineOf(2, 1), lineOf(3, 1)])].map((e) => e.request)
    assert.deepStrictEqual(batchLockOrder(requests), [1, 2, 3].map((id) => TicketTypeId.make(id)))
  })

  // Without keys, a batch is exactly its purchases made one after another: splitting it anywhere
  // and deciding the second part against the stock the first part left changes no decision.
  it("equals the same purchases in two batches one after the other, wherever it is split", () => {
    const purchase = fc.array(fc.record({ type: fc.integer({ min: 1, max: 3 }), quantity: fc.integer({ min: 1, max: 5 }) }), {
      minLength: 1,
      maxLength: 3
    })
    fc.assert(fc.property(
      fc.array(purchase, { minLength: 1, maxLength: 20 }),
      fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 3, maxLength: 3 }),
      fc.nat(),
      (purchases, totals, cut) => {
        const stock = stockOf([event(1)], totals.map((total, i) => type(i + 1, 1, Math.max(1, total), 6)))
        const entries = purchases.map((lines) => {
          const [first, ...rest] = lines.map((l) => lineOf(l.type, l.quantity))
          return first === undefined ? entry([lineOf(1, 1)]) : entry([first, ...rest])
        })
        const whole = allocateBatch(entries, stock)
        const at = cut % (entries.length + 1)
        const head = allocateBatch(entries.slice(0, at), stock)
        const tail = allocateBatch(entries.slice(at), head.stock)
        assert.deepStrictEqual([...head.decisions, ...tail.decisions].map(label), whole.decisions.map(label))
        assert.deepStrictEqual([...tail.stock.ticketTypes.values()].map((t) => t.soldQty), [...whole.stock.ticketTypes.values()].map((t) => t.soldQty))
        for (const t of whole.stock.ticketTypes.values()) assert.isAtMost(t.soldQty, t.totalQty)
      }
    ))
  })
})
