import { Effect, Layer, Option, Redacted } from "effect"
import { PasswordHash, PasswordHasher } from "@ticketmania/domain"

// A fast, reversible-free stand-in for bcrypt: FNV-1a over a fixed salt and the password. It keeps
// the port's behaviour (distinct hashes, verify round-trips, constant work for unknown users)
// without bcrypt's cost, so core tests stay fast. Never use it to store real passwords.
const fnv1a = (text: string): string => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, "0")
}

const digest = (password: string): string => `memory$${fnv1a(`ticketmania:${password}`)}${fnv1a(`${password}:ticketmania`)}`

const DUMMY = digest("a password nobody has")

/**
 * `PasswordHasher` for tests. `work` adds an artificial delay to every hash and comparison,
 * to exercise code that must not reveal, by timing, whether a user exists.
 */
export const makeInMemoryPasswordHasher = (work: Effect.Effect<void> = Effect.void) =>
  Layer.succeed(
    PasswordHasher,
    PasswordHasher.of({
      hash: (password) => Effect.as(work, PasswordHash.make(digest(Redacted.value(password)))),
      verify: (password, hash) =>
        Effect.as(work, digest(Redacted.value(password)) === Option.getOrElse(hash, () => DUMMY) && Option.isSome(hash))
    })
  )

/** The in-memory `PasswordHasher` without artificial cost. */
export const InMemoryPasswordHasher = makeInMemoryPasswordHasher()
