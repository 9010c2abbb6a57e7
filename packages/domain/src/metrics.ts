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

/** Purchases per batch committed together (1 when buyers come one at a time). */
export const purchaseBatchSize = Metric.histogram("ticketmania_purchase_batch_size", {
  description: "Purchases decided and committed in one transaction",
  boundaries: [1, 2, 4, 8, 16, 32, 64, 128, 256]
})

/** Purchases refused at once because too many were already waiting (answered 503). */
export const purchasesOverloaded = Metric.counter("ticketmania_purchases_overloaded_total", {
  description: "Purchases refused because the purchase queue was full",
  incremental: true
})

/** Sold-out answers given from the in-process memo, without the database. */
export const soldOutFromMemo = Metric.counter("ticketmania_sold_out_memo_answers_total", {
  description: "Sold-out answers given without the database",
  incremental: true
})
