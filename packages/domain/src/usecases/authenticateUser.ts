import { Effect, Option } from "effect"
import { InvalidCredentials } from "../errors.ts"
import { PasswordHasher } from "../ports/PasswordHasher.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { LoginInput } from "../rules/registration.ts"
import { decodeInput } from "../rules/validate.ts"

const decodeLogin = decodeInput(LoginInput)

/**
 * Checks `{ email, password }` and returns the user. An unknown email and a wrong password fail
 * alike with `InvalidCredentials`, after the same single hash comparison, so neither the reply
 * nor its timing tells which.
 */
export const authenticateUser = Effect.fn("authenticateUser")(function*(input: unknown) {
  const { email, password } = yield* decodeLogin(input)
  const credentials = yield* (yield* UserRepository).findCredentials(email)
  const hash = Option.map(credentials, (c) => c.passwordHash)
  const matches = yield* (yield* PasswordHasher).verify(password, hash)
  if (!matches || Option.isNone(credentials)) return yield* new InvalidCredentials()
  return credentials.value.user
})
