import { Effect } from "effect"
import { welcomeMail } from "../mail/templates.ts"
import { PasswordHasher } from "../ports/PasswordHasher.ts"
import { UserRepository } from "../ports/UserRepository.ts"
import { RegistrationInput } from "../rules/registration.ts"
import { decodeInput } from "../rules/validate.ts"

const decodeRegistration = decodeInput(RegistrationInput)

/**
 * Registers a user from `{ name, email, password }`. Validates before hashing (hashing is the
 * expensive part), stores the user and queues the welcome mail atomically.
 * Fails with `ValidationFailed` or `EmailTaken`.
 */
export const registerUser = Effect.fn("registerUser")(function*(input: unknown) {
  const { name, email, password } = yield* decodeRegistration(input)
  const passwordHash = yield* (yield* PasswordHasher).hash(password)
  const users = yield* UserRepository
  return yield* users.create({ name, email, passwordHash }, [welcomeMail({ name, email })])
})
