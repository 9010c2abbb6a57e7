import { Context, type Effect, Schema } from "effect"
import type { MailMessage } from "../mail/MailMessage.ts"

/** Delivery failed; `permanent` when retrying cannot help (the address was refused). */
export class MailDeliveryFailed extends Schema.TaggedError<MailDeliveryFailed>()("MailDeliveryFailed", {
  reason: Schema.String,
  permanent: Schema.Boolean
}) {}

/** Hands a message to the outside world (SMTP, a log, a test inbox). */
export class Mailer extends Context.Service<Mailer, {
  send(message: MailMessage): Effect.Effect<void, MailDeliveryFailed>
}>()("@ticketmania/domain/Mailer") {}
