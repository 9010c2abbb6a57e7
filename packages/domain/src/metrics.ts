import { Metric } from "effect"

// Business metrics live in the core so every driver (HTTP, CLI, an embedding service) counts the
// same events; an exporter (Prometheus in the HTTP adapter) only reads them.

/** Tickets sold, fresh sales only (idempotent replays are not counted again). */
export const ticketsSold = Metric.counter("ticketmania_tickets_sold_total", {
  description: "Tickets sold",
  incremental: true
})

/** Purchases refused because a ticket type had too few tickets left. */
export const soldOutRejections = Metric.counter("ticketmania_sold_out_rejections_total", {
  description: "Purchases refused as sold out",
  incremental: true
})

/** Orders completed. */
export const ordersCompleted = Metric.counter("ticketmania_orders_total", {
  description: "Orders completed",
  incremental: true
})
