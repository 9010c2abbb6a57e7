import { Redacted, Schema } from "effect"
import { TrimmedText } from "../model/checks.ts"
import { Email } from "../model/Email.ts"

/** UTF-8 length of a string, computed without platform APIs so the core stays portable. */
export const utf8Length = (s: string): number => {
  let bytes = 0
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
  }
  return bytes
}

/**
 * A password as typed: 8–72 bytes (bcrypt reads no further), not only whitespace, no composition
 * rules (NIST SP 800-63B). Held in `Redacted` so it never reaches a log by accident.
 */
export const Password = Schema.RedactedFromValue(
  Schema.String.check(
    Schema.makeFilter((s: string) => {
      const bytes = utf8Length(s)
      if (bytes < 8) return "must be at least 8 bytes"
      if (bytes > 72) return "must be at most 72 bytes"
      return s.trim().length > 0 || "must not be only whitespace"
    })
  ),
  { label: "password" }
)

/** What someone registering provides. */
export const RegistrationInput = Schema.Struct({
  name: TrimmedText(1, 100),
  email: Email,
  password: Password
})
export type RegistrationInput = typeof RegistrationInput.Type

/** What someone logging in provides; the password is only checked for presence here. */
export const LoginInput = Schema.Struct({
  email: Email,
  password: Schema.RedactedFromValue(Schema.String, { label: "password" })
})
export type LoginInput = typeof LoginInput.Type

/** Wraps a plain password for the use cases (for embedders and tests). */
export const password = (plain: string): Redacted.Redacted<string> => Redacted.make(plain, { label: "password" })
