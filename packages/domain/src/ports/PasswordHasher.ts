import { Context, type Effect, type Option, type Redacted } from "effect"
import type { PasswordHash } from "../model/User.ts"

/** Slow, salted password hashing. */
export class PasswordHasher extends Context.Service<PasswordHasher, {
  hash(password: Redacted.Redacted<string>): Effect.Effect<PasswordHash>
  /**
   * Whether `password` matches `hash`. With no hash (unknown user) it still does the work of one
   * comparison and answers false, so timing does not tell unknown emails from wrong passwords.
   */
  verify(password: Redacted.Redacted<string>, hash: Option.Option<PasswordHash>): Effect.Effect<boolean>
}>()("@ticketmania/domain/PasswordHasher") {}
