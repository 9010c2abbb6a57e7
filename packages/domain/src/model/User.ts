import { Schema } from "effect"
import { Email } from "./Email.ts"
import { UserId } from "./ids.ts"

/** A registered user as everyone may see it: never carries the password hash. */
export class User extends Schema.Class<User>("@ticketmania/domain/User")({
  id: UserId,
  name: Schema.String,
  email: Email,
  createdAt: Schema.DateTimeUtc
}) {}

/** A bcrypt (or other) password hash, branded so it cannot be mistaken for a password. */
export const PasswordHash = Schema.String.pipe(Schema.brand("PasswordHash"))
export type PasswordHash = typeof PasswordHash.Type

/** A user together with the hash needed to check their password; only login sees this. */
export interface UserCredentials {
  readonly user: User
  readonly passwordHash: PasswordHash
}
