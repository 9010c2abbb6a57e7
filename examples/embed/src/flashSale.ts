import { Effect } from "effect"
import { createEvent, purchaseTickets, registerUser, salesReport } from "@ticketmania/domain"

/**
 * A whole sale through the core's use cases: an organizer registers and lists an event with 3
 * seats, then 10 buyers race for them. Any adapters can run it: it only asks for the ports.
 */
export const flashSale = Effect.gen(function*() {
  const organizer = yield* registerUser({ name: "Ada", email: "ada@example.com", password: "securepassword123" })
  const event = yield* createEvent({
    title: "Rooftop Jazz",
    start_time: "2036-06-15T19:00:00Z",
    end_time: "2036-06-15T23:00:00Z",
    ticket_types: [{ name: "Standing", price: 1500, currency: "EUR", total_qty: 3 }]
  }, organizer.id)
  const [standing] = event.ticketTypes
  if (standing === undefined) return yield* Effect.die(new Error("the event has no ticket type"))

  const buyers = Array.from({ length: 10 }, (_, i) => ({
    eventId: event.id,
    ticketTypes: [{ ticketTypeId: standing.id, quantity: 1, buyerEmail: `fan${i}@example.com`, buyerPhone: "+4930123456" }]
  }))
  const outcomes = yield* Effect.forEach(
    buyers,
    (body) => Effect.result(purchaseTickets(body, { userId: null, idempotencyKey: null })),
    { concurrency: "unbounded" }
  )
  const report = yield* salesReport(event.id)
  return {
    sold: outcomes.filter((o) => o._tag === "Success").length,
    refused: outcomes.flatMap((o) => (o._tag === "Failure" ? [o.failure._tag] : [])),
    report
  }
})
