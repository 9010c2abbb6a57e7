import { Schema } from "effect"
import { EventId, TicketTypeId } from "./model/ids.ts"

// Business failures are values with no transport knowledge: each driving adapter decides how to
// present them (the HTTP adapter maps them to statuses, the CLI to exit codes and lines).

/** Input that breaks the rules: every bad field, by path (`ticket_types[1].price`), with a message. */
export class ValidationFailed extends Schema.TaggedError<ValidationFailed>()("ValidationFailed", {
  fields: Schema.Record(Schema.String, Schema.String)
}) {
  /** A failure on a single field. */
  static field(path: string, message: string): ValidationFailed {
    return new ValidationFailed({ fields: { [path]: message } })
  }
  override get message(): string {
    return Object.entries(this.fields).map(([path, msg]) => `${path}: ${msg}`).join("; ")
  }
}

/** Registration with an email that already has an account (case-insensitively). */
export class EmailTaken extends Schema.TaggedError<EmailTaken>()("EmailTaken", {}) {
  override get message(): string {
    return "a user with this email address already exists"
  }
}

/** Unknown email or wrong password; deliberately does not say which. */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", {}) {
  override get message(): string {
    return "invalid email or password"
  }
}

/** No such event, or one the caller may not see (another organizer's draft). */
export class EventNotFound extends Schema.TaggedError<EventNotFound>()("EventNotFound", {
  eventId: EventId
}) {
  override get message(): string {
    return `event ${this.eventId} was not found`
  }
}

/** No such ticket type, or one that belongs to another event than the one named. */
export class TicketTypeNotFound extends Schema.TaggedError<TicketTypeNotFound>()("TicketTypeNotFound", {
  ticketTypeId: TicketTypeId,
  eventId: EventId
}) {
  override get message(): string {
    return `ticket type ${this.ticketTypeId} was not found in event ${this.eventId}`
  }
}

/** Why an event cannot sell tickets right now. */
export const NotOnSaleReason = Schema.Literals(["draft", "cancelled", "started"])
export type NotOnSaleReason = typeof NotOnSaleReason.Type

/** The event is a draft, cancelled, or has already started. */
export class NotOnSale extends Schema.TaggedError<NotOnSale>()("NotOnSale", {
  eventId: EventId,
  reason: NotOnSaleReason
}) {
  override get message(): string {
    const why = this.reason === "started" ? "has already started" : `is ${this.reason}`
    return `tickets for event ${this.eventId} are not on sale: the event ${why}`
  }
}

/** Not enough tickets left of a type; nothing of the order was sold. */
export class SoldOut extends Schema.TaggedError<SoldOut>()("SoldOut", {
  ticketTypeId: TicketTypeId,
  ticketTypeName: Schema.String,
  asked: Schema.Int,
  left: Schema.Int
}) {
  override get message(): string {
    return this.left === 0
      ? `"${this.ticketTypeName}" (ticket type ${this.ticketTypeId}) is sold out: asked for ${this.asked}, none left`
      : `not enough "${this.ticketTypeName}" tickets (ticket type ${this.ticketTypeId}): asked for ${this.asked}, only ${this.left} left`
  }
}

/** An idempotency key reused with a different request. */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {}) {
  override get message(): string {
    return "this Idempotency-Key was already used with a different request"
  }
}

/** An idempotency key whose first request is still being processed. */
export class IdempotencyInProgress extends Schema.TaggedError<IdempotencyInProgress>()(
  "IdempotencyInProgress",
  {}
) {
  override get message(): string {
    return "a request with this Idempotency-Key is still being processed; retry later"
  }
}

/**
 * Too many purchases are waiting already: refused at once instead of queueing without end, so a
 * client is told to come back (`retryAfterSeconds`) rather than left waiting for a timeout.
 */
export class Overloaded extends Schema.TaggedError<Overloaded>()("Overloaded", {
  retryAfterSeconds: Schema.Int
}) {
  override get message(): string {
    return `too many purchases are waiting; retry in ${this.retryAfterSeconds} s`
  }
}

/** Authenticated, but not allowed to do this. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  reason: Schema.String
}) {
  override get message(): string {
    return this.reason
  }
}

/** A concurrent change won; reload and try again. */
export class EditConflict extends Schema.TaggedError<EditConflict>()("EditConflict", {}) {
  override get message(): string {
    return "the resource was changed by someone else; reload it and try again"
  }
}

/** Every failure a purchase can end with. */
export type PurchaseError =
  | ValidationFailed
  | EventNotFound
  | TicketTypeNotFound
  | NotOnSale
  | SoldOut
  | IdempotencyKeyReused
  | IdempotencyInProgress
  | Overloaded
