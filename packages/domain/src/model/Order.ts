import { Schema } from "effect"
import { Email } from "./Email.ts"
import { Currency, MinorUnits } from "./Money.ts"
import { Phone } from "./Phone.ts"
import { EventId, OrderId, TicketId, TicketTypeId, UserId } from "./ids.ts"

/** An unguessable code printed on a ticket (at least 128 bits of randomness). */
export const TicketCode = Schema.String.pipe(Schema.brand("TicketCode"))
export type TicketCode = typeof TicketCode.Type

/** A completed purchase: one order per request, all of it or nothing. */
export class Order extends Schema.Class<Order>("@ticketmania/domain/Order")({
  id: OrderId,
  userId: Schema.NullOr(UserId),
  buyerEmail: Email,
  totalAmount: MinorUnits,
  currency: Currency,
  createdAt: Schema.DateTimeUtc
}) {}

/** One admission, sold within an order. */
export class Ticket extends Schema.Class<Ticket>("@ticketmania/domain/Ticket")({
  id: TicketId,
  orderId: OrderId,
  eventId: EventId,
  ticketTypeId: TicketTypeId,
  userId: Schema.NullOr(UserId),
  status: Schema.Literals(["sold", "used", "cancelled"]),
  code: TicketCode,
  buyerEmail: Email,
  buyerPhone: Phone,
  /** Price paid for this ticket, in minor units of the order's currency. */
  price: MinorUnits,
  createdAt: Schema.DateTimeUtc
}) {}

/** What a successful purchase returns, and what an idempotent replay returns again. */
export class Receipt extends Schema.Class<Receipt>("@ticketmania/domain/Receipt")({
  order: Order,
  tickets: Schema.Array(Ticket)
}) {}
