import { Redacted } from "effect"
import { maskEmail, maskPhone } from "@ticketmania/domain"

// Keeps secrets and personal data out of the logs: values under secret-looking keys are dropped,
// emails and phone numbers are masked, and any email address or JWT that slipped into free text
// is masked there too.

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|hash|api[-_]?key|credential/i
const EMAIL_KEY = /e-?mail/i
const PHONE_KEY = /phone/i
const EMAIL_IN_TEXT = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g
const JWT_IN_TEXT = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g
const MAX_DEPTH = 5

/** Masks email addresses and tokens inside free text. */
export const redactText = (text: string): string =>
  text.replace(JWT_IN_TEXT, "[redacted token]").replace(EMAIL_IN_TEXT, (email) => maskEmail(email))

/** A copy of `value` that is safe to log, given the key it is logged under. */
export const redactValue = (key: string, value: unknown, depth = 0): unknown => {
  if (Redacted.isRedacted(value) || (SECRET_KEY.test(key) && value !== null && value !== undefined)) return "[redacted]"
  if (typeof value === "string") {
    if (EMAIL_KEY.test(key)) return maskEmail(value)
    if (PHONE_KEY.test(key)) return maskPhone(value)
    return redactText(value)
  }
  if (typeof value !== "object" || value === null) return value
  if (depth >= MAX_DEPTH) return "[nested]"
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) }
  if (Array.isArray(value)) return value.map((item) => redactValue(key, item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(k, v, depth + 1)
  return out
}
