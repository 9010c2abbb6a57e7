import { DateTime, Result } from "effect"
import { EventNotFound, NotOnSale, SoldOut, TicketTypeNotFound, ValidationFailed } from "../errors.ts"
import type { Email } from "../model/Email.ts"
import type { EventStatus, TicketType } from "../model/Event.ts"
import type { EventId, TicketTypeId } from "../model/ids.ts"
import type { Currency } from "../model/Money.ts"
import type { Phone } from "../model/Phone.ts"
import { MAX_TICKETS_PER_ORDER, type PurchaseLine, type PurchaseRequest } from "./purchaseInput.ts"
import { withoutStackTrace } from "./withoutStackTrace.ts"

/** What the seller knows about an event at the moment of sale (read under the inventory lock). */
export interface EventSaleState {
  readonly id: EventId
  readonly title: string
  readonly status: EventStatus
  readonly startTime: DateTime.Utc
}

/** The locked inventory a purchase is decided against. */
export interface SaleStock {
  readonly events: ReadonlyMap<EventId, EventSaleState>
  readonly ticketTypes: ReadonlyMap<TicketTypeId, TicketType>
}

/** How many tickets of one type the order takes. */
export interface Take {
  readonly ticketTypeId: TicketTypeId
  readonly quantity: number
}

/** One ticket to issue. */
export interface TicketToIssue {
  readonly eventId: EventId
  readonly ticketTypeId: TicketTypeId
  readonly price: number
  readonly buyerEmail: Email
  readonly buyerPhone: Phone
}

/** The decision of a successful purchase. */
export interface Allocation {
  /** Per ticket type, in ascending id order: add `quantity` to its sold count. */
  readonly takes: ReadonlyArray<Take>
  /** Tickets in request order. */
  readonly tickets: ReadonlyArray<TicketToIssue>
  readonly totalAmount: number
  readonly currency: Currency
  readonly buyerEmail: Email
}

export type AllocationError = ValidationFailed | EventNotFound | TicketTypeNotFound | NotOnSale | SoldOut

/** Ticket type ids a request touches, ascending: the order in which adapters must lock them. */
export const lockOrder = (request: PurchaseRequest): ReadonlyArray<TicketTypeId> =>
  [...new Set(request.lines.map((l) => l.ticketTypeId))].sort((a, b) => a - b)

/**
 * Decides a purchase against locked stock: merges duplicate lines, checks that every ticket type
 * exists in its event, that events are on sale at `now`, quantities and per-order maxima, one
 * currency, and availability. Returns the allocation with totals, or the exact failure. Pure:
 * every inventory adapter calls it inside its lock, so they cannot disagree on what is allowed.
 */
export const allocate = (
  request: PurchaseRequest,
  stock: SaleStock,
  now: DateTime.Utc
): Result.Result<Allocation, AllocationError> => {
  // Resolve every line first: the stock lookups below then need no second guess.
  const resolved: Array<{ readonly line: PurchaseLine; readonly type: TicketType }> = []
  for (const line of request.lines) {
    const event = stock.events.get(line.eventId)
    if (event === undefined) return Result.fail(new EventNotFound({ eventId: line.eventId }))
    const type = stock.ticketTypes.get(line.ticketTypeId)
    if (type === undefined || type.eventId !== line.eventId) {
      return Result.fail(new TicketTypeNotFound({ ticketTypeId: line.ticketTypeId, eventId: line.eventId }))
    }
    if (event.status !== "published") return Result.fail(new NotOnSale({ eventId: event.id, reason: event.status }))
    if (!DateTime.isGreaterThan(event.startTime, now)) {
      return Result.fail(new NotOnSale({ eventId: event.id, reason: "started" }))
    }
    resolved.push({ line, type })
  }

  const fields: Record<string, string> = {}
  const merged = new Map<TicketTypeId, { quantity: number; path: string; type: TicketType }>()
  let count = 0
  for (const { line, type } of resolved) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      fields[`${line.path}.quantity`] = "must be >= 1"
      continue
    }
    count += line.quantity
    const seen = merged.get(line.ticketTypeId)
    merged.set(line.ticketTypeId, { quantity: (seen?.quantity ?? 0) + line.quantity, path: seen?.path ?? line.path, type })
  }
  for (const { quantity, path, type } of merged.values()) {
    if (quantity > type.maxPerOrder) {
      fields[`${path}.quantity`] = `must be at most ${type.maxPerOrder} for "${type.name}" in one order`
    }
  }
  if (count > MAX_TICKETS_PER_ORDER) fields.ticketTypes = `at most ${MAX_TICKETS_PER_ORDER} tickets per order`
  const currencies = new Set([...merged.values()].map((m) => m.type.currency))
  if (currencies.size > 1) fields.ticketTypes = "all ticket types of one order must share one currency"
  if (Object.keys(fields).length > 0) return Result.fail(new ValidationFailed({ fields }))

  const sorted = [...merged.values()].sort((a, b) => a.type.id - b.type.id)
  for (const { quantity, type } of sorted) {
    if (quantity > type.availableQty) {
      return Result.fail(
        withoutStackTrace(() =>
          new SoldOut({ ticketTypeId: type.id, ticketTypeName: type.name, asked: quantity, left: type.availableQty })
        )
      )
    }
  }
  const takes = sorted.map(({ quantity, type }) => ({ ticketTypeId: type.id, quantity }))

  const tickets: Array<TicketToIssue> = []
  let totalAmount = 0
  for (const { line, type } of resolved) {
    for (let i = 0; i < line.quantity; i++) {
      tickets.push({
        eventId: line.eventId,
        ticketTypeId: line.ticketTypeId,
        price: type.price,
        buyerEmail: line.buyerEmail,
        buyerPhone: line.buyerPhone
      })
    }
    totalAmount += type.price * line.quantity
  }
  const [first] = resolved
  if (first === undefined) return Result.fail(ValidationFailed.field("ticketTypes", "must list at least one ticket type"))
  return Result.succeed({ takes, tickets, totalAmount, currency: first.type.currency, buyerEmail: first.line.buyerEmail })
}
