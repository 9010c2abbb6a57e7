// Shared imports and builders for the use-case tests over the in-memory core.
export { DateTime } from "effect"
export * from "@ticketmania/domain"

/** The original README's event body, dated far enough ahead for any test clock. */
export const readmeEvent = {
  title: "Tech Conference 2026",
  description: "Annual technology conference",
  location: "Lagos, Nigeria",
  date: "2036-06-15",
  start_time: "2036-06-15T09:00:00Z",
  end_time: "2036-06-15T18:00:00Z",
  ticket_types: [
    { name: "VIP", price: 50000, currency: "NGN", total_qty: 100 },
    { name: "Regular", price: 25000, currency: "NGN", total_qty: 500 }
  ]
}

/** A buy-ticket line as the README sends it. */
export const buyLine = (ticketTypeId: number, quantity: number) => ({
  ticketTypeId,
  quantity,
  buyerEmail: "buyer@example.com",
  buyerPhone: "+2348123456789"
})
