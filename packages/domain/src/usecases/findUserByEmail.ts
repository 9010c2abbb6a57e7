import { Effect, Option } from "effect"
import { ValidationFailed } from "../errors.ts"
import { Email } from "../model/Email.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { decodeInput } from "../rules/validate.ts"

const decodeEmail = decodeInput(Email)

/** The user with this email (any case), or `ValidationFailed` on `email` when there is none. */
export const findUserByEmail = Effect.fn("findUserByEmail")(function*(email: string) {
  const address = yield* decodeEmail(email).pipe(Effect.mapError((e) => ValidationFailed.field("email", e.fields.input ?? "is invalid")))
  const found = yield* (yield* UserRepository).findByEmail(address)
  if (Option.isNone(found)) return yield* ValidationFailed.field("email", "no user has this email address")
  return found.value
})
