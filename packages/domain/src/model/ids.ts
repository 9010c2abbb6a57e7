import { Schema } from "effect"

/** A database identity: a positive safe integer. */
const PositiveId = Schema.Int.check(
  Schema.makeFilter((n: number) => (n > 0 && Number.isSafeInteger(n)) || "must be a positive integer")
)

/** Identity of a registered user. */
export const UserId = PositiveId.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

/** Identity of an event. */
export const EventId = PositiveId.pipe(Schema.brand("EventId"))
export type EventId = typeof EventId.Type

/** Identity of a ticket type (one inventory row). */
export const TicketTypeId = PositiveId.pipe(Schema.brand("TicketTypeId"))
export type TicketTypeId = typeof TicketTypeId.Type

/** Identity of an order (one purchase). */
export const OrderId = PositiveId.pipe(Schema.brand("OrderId"))
export type OrderId = typeof OrderId.Type

/** Identity of a single sold ticket. */
export const TicketId = PositiveId.pipe(Schema.brand("TicketId"))
export type TicketId = typeof TicketId.Type
