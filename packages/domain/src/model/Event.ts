import { Schema } from "effect"
import { Currency, MinorUnits } from "./Money.ts"
import { EventId, TicketTypeId, UserId } from "./ids.ts"

/** Where an event is in its life: only `published` events are listed and sell tickets. */
export const EventStatus = Schema.Literals(["draft", "published", "cancelled"])
export type EventStatus = typeof EventStatus.Type

/** One tier of tickets of an event (VIP, Regular, ...) and its inventory. */
export class TicketType extends Schema.Class<TicketType>("@ticketmania/domain/TicketType")({
  id: TicketTypeId,
  eventId: EventId,
  name: Schema.String,
  price: MinorUnits,
  currency: Currency,
  totalQty: Schema.Int,
  soldQty: Schema.Int,
  maxPerOrder: Schema.Int
}) {
  /** Tickets still for sale. */
  get availableQty(): number {
    return this.totalQty - this.soldQty
  }
}

/** An event with its ticket types, ordered by id. */
export class Event extends Schema.Class<Event>("@ticketmania/domain/Event")({
  id: EventId,
  title: Schema.String,
  description: Schema.String,
  location: Schema.String,
  /** The UTC calendar date of `startTime`, `YYYY-MM-DD`. */
  date: Schema.String,
  startTime: Schema.DateTimeUtc,
  endTime: Schema.DateTimeUtc,
  status: EventStatus,
  organizerId: UserId,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
  ticketTypes: Schema.Array(TicketType)
}) {}
