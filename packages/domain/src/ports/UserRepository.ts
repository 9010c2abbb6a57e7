import { Context, type Effect, type Option } from "effect"
import type { EmailTaken } from "../errors.ts"
import type { MailMessage } from "../mail/MailMessage.ts"
import type { Email } from "../model/Email.ts"
import type { UserId } from "../model/ids.ts"
import type { PasswordHash, User, UserCredentials } from "../model/User.ts"

/** A user about to be stored. */
export interface NewUser {
  readonly name: string
  readonly email: Email
  readonly passwordHash: PasswordHash
}

/** Stores users. Emails are unique regardless of case. */
export class UserRepository extends Context.Service<UserRepository, {
  /**
   * Stores a new user and, atomically with it, queues `mail` for delivery (the welcome mail), so
   * the mail is sent if and only if the user exists. Fails with `EmailTaken` when the email is in
   * use, also when two registrations race.
   */
  create(user: NewUser, mail: ReadonlyArray<MailMessage>): Effect.Effect<User, EmailTaken>
  /** The user and password hash for a login. */
  findCredentials(email: Email): Effect.Effect<Option.Option<UserCredentials>>
  findByEmail(email: Email): Effect.Effect<Option.Option<User>>
  findById(id: UserId): Effect.Effect<Option.Option<User>>
}>()("@ticketmania/domain/UserRepository") {}
