import { Schema } from "effect"
import { Email } from "../model/Email.ts"

/** What a message is about; lets operators and tests tell messages apart. */
export const MailKind = Schema.Literals(["welcome", "order_confirmation"])
export type MailKind = typeof MailKind.Type

/** An email to deliver: plain text and HTML bodies of the same content. */
export class MailMessage extends Schema.Class<MailMessage>("@ticketmania/domain/MailMessage")({
  kind: MailKind,
  to: Email,
  subject: Schema.String,
  text: Schema.String,
  html: Schema.String
}) {}
