import { Schema, SchemaTransformation } from "effect"

// Deliberately simple: one "@", a non-empty local part, a dotted domain, no spaces and no control
// characters (a NUL cannot even be stored). Mailbox existence is proven by delivering mail, not
// by a regular expression.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@.\p{Cc}]+(\.[^\s@.\p{Cc}]+)+$/u

/**
 * An email address, trimmed and lower-cased on decoding so uniqueness and login ignore case.
 * At most 254 characters (RFC 5321 path limit).
 */
export const Email = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String.check(
      Schema.makeFilter((s: string) => s.length <= 254 || "must be at most 254 characters"),
      Schema.makeFilter((s: string) => EMAIL_SHAPE.test(s) || "must be a valid email address")
    ),
    SchemaTransformation.transform({
      decode: (s: string) => s.trim().toLowerCase(),
      encode: (s: string) => s
    })
  ),
  Schema.brand("Email")
)
export type Email = typeof Email.Type

/** Hides most of an address for logs: `jo***@example.com`. */
export const maskEmail = (email: string): string => {
  const at = email.indexOf("@")
  if (at <= 0) return "***"
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`
}
