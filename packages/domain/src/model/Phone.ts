import { Schema, SchemaTransformation } from "effect"

/**
 * A phone number: 7–15 digits with an optional leading `+` (E.164 length). Spaces, dashes,
 * dots and parentheses are stripped before checking and storing.
 */
export const Phone = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String.check(
      Schema.makeFilter((s: string) =>
        /^\+?\d{7,15}$/.test(s) || "must be 7 to 15 digits with an optional leading +"
      )
    ),
    SchemaTransformation.transform({
      decode: (s: string) => s.replace(/[\s\-().]/g, ""),
      encode: (s: string) => s
    })
  ),
  Schema.brand("Phone")
)
export type Phone = typeof Phone.Type

/** Hides all but the last two digits for logs. */
export const maskPhone = (phone: string): string =>
  phone.length <= 2 ? "**" : `${"*".repeat(phone.length - 2)}${phone.slice(-2)}`
