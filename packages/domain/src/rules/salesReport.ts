import type { Event } from "../model/Event.ts"

/** Sales of one ticket type. */
export interface TicketTypeSales {
  readonly ticketTypeId: number
  readonly name: string
  readonly currency: string
  readonly price: number
  readonly totalQty: number
  readonly sold: number
  readonly left: number
  /** sold × price, in minor units. */
  readonly revenue: number
}

/** Sales of a whole event: per ticket type, and revenue totals per currency. */
export interface SalesReport {
  readonly eventId: number
  readonly title: string
  readonly ticketTypes: ReadonlyArray<TicketTypeSales>
  readonly totals: {
    readonly sold: number
    readonly left: number
    readonly revenue: ReadonlyArray<{ readonly currency: string; readonly amount: number }>
  }
}

/**
 * Summarises an event's sales. Prices of a ticket type never change once created, so revenue is
 * exactly sold × price; totals are kept per currency because amounts in two currencies don't add.
 */
export const salesReportOf = (event: Event): SalesReport => {
  const ticketTypes = event.ticketTypes.map((tt) => ({
    ticketTypeId: tt.id,
    name: tt.name,
    currency: tt.currency,
    price: tt.price,
    totalQty: tt.totalQty,
    sold: tt.soldQty,
    left: tt.availableQty,
    revenue: tt.soldQty * tt.price
  }))
  const byCurrency = new Map<string, number>()
  for (const tt of ticketTypes) byCurrency.set(tt.currency, (byCurrency.get(tt.currency) ?? 0) + tt.revenue)
  return {
    eventId: event.id,
    title: event.title,
    ticketTypes,
    totals: {
      sold: ticketTypes.reduce((n, tt) => n + tt.sold, 0),
      left: ticketTypes.reduce((n, tt) => n + tt.left, 0),
      revenue: [...byCurrency].map(([currency, amount]) => ({ currency, amount }))
    }
  }
}
