import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import {
  Currency,
  Email,
  Event,
  EventId,
  maskEmail,
  maskPhone,
  salesReportOf,
  TicketType,
  TicketTypeId,
  UserId,
  welcomeMail
} from "@ticketmania/domain"

describe("mail templates", () => {
  it("greets a new user with the contract's subject, escaping their name in HTML", () => {
    const mail = welcomeMail({ name: "<script>alert(1)</script>", email: Email.make("x@example.com") })
    assert.strictEqual(mail.subject, "Welcome to TicketMania!")
    assert.strictEqual(mail.to, "x@example.com")
    assert.include(mail.text, "<script>alert(1)</script>")
    assert.notInclude(mail.html, "<script>")
    assert.include(mail.html, "&lt;script&gt;")
  })
})

describe("masking", () => {
  it("hides most of an email address and all but two digits of a phone", () => {
    assert.strictEqual(maskEmail("john@example.com"), "jo***@example.com")
    assert.strictEqual(maskEmail("broken"), "***")
    assert.strictEqual(maskPhone("+2348123456789"), "************89")
  })
})

describe("sales report", () => {
  it("sums sold, left and revenue per type and per currency", () => {
    const at = DateTime.makeUnsafe("2026-06-15T09:00:00Z")
    const tt = (id: number, price: number, currency: string, sold: number) =>
      new TicketType({
        id: TicketTypeId.make(id),
        eventId: EventId.make(1),
        name: `T${id}`,
        price,
        currency: Currency.make(currency),
        totalQty: 10,
        soldQty: sold,
        maxPerOrder: 10
      })
    const event = new Event({
      id: EventId.make(1),
      title: "Gala",
      description: "",
      location: "",
      date: "2026-06-15",
      startTime: at,
      endTime: at,
      status: "published",
      organizerId: UserId.make(1),
      createdAt: at,
      updatedAt: at,
      ticketTypes: [tt(1, 50000, "NGN", 2), tt(2, 25000, "NGN", 3), tt(3, 1000, "EUR", 1)]
    })
    const report = salesReportOf(event)
    assert.deepStrictEqual(report.ticketTypes.map((t) => [t.sold, t.left, t.revenue]), [[2, 8, 100000], [3, 7, 75000], [1, 9, 1000]])
    assert.deepStrictEqual(report.totals, {
      sold: 6,
      left: 24,
      revenue: [{ currency: "NGN", amount: 175000 }, { currency: "EUR", amount: 1000 }]
    })
  })
})
