import { Schema, SchemaTransformation } from "effect"
import { Integer, intBetween } from "./checks.ts"

/** An ISO 4217 alpha-3 currency code, upper case (`NGN`, `EUR`). */
export const Currency = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String.check(
      Schema.makeFilter((s: string) => /^[A-Z]{3}$/.test(s) || "must be an ISO 4217 code of three letters")
    ),
    SchemaTransformation.transform({ decode: (s: string) => s.trim().toUpperCase(), encode: (s: string) => s })
  ),
  Schema.brand("Currency")
)
export type Currency = typeof Currency.Type

/** An amount in the currency's minor unit (kobo, cents): a non-negative integer. */
export const MinorUnits = Integer.check(intBetween(0, undefined))
export type MinorUnits = typeof MinorUnits.Type

/** An amount of money: integer minor units with their currency. Never a float. */
export class Money extends Schema.Class<Money>("@ticketmania/domain/Money")({
  amount: MinorUnits,
  currency: Currency
}) {}
