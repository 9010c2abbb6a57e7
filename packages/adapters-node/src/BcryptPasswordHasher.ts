import bcrypt from "bcrypt"
import { Config, Effect, Layer, Option, Redacted, Schema } from "effect"
import { PasswordHash, PasswordHasher } from "@ticketmania/domain"
import { lowerThreadPoolPriority } from "./threadPriority.ts"

/** bcrypt's work factor: 12 by default (≈ 0.2 s a hash on a 2 GHz core), 4 to 15 accepted. */
export const BcryptCost = Config.schema(
  Schema.Int.check(Schema.makeFilter((cost: number) => (cost >= 4 && cost <= 15) || "must be an integer from 4 to 15")),
  "BCRYPT_COST"
).pipe(Config.withDefault(12))

/**
 * The nice value of the hashing threads (`BCRYPT_NICE`, Linux only): 19 by default, the lowest
 * priority, so that a login storm takes the CPU ticket sales leave idle first; 0 leaves them as
 * they are. At 10, 200 logins during a 64-buyer sale raised the purchase p99 1.27–1.55× (three
 * runs); at 19, 1.09–1.24×, with as many logins served.
 */
export const BcryptNice = Config.schema(
  Schema.Int.check(Schema.makeFilter((nice: number) => (nice >= 0 && nice <= 19) || "must be an integer from 0 to 19")),
  "BCRYPT_NICE"
).pipe(Config.withDefault(19))

/**
 * `PasswordHasher` with native bcrypt. Hashing runs on libuv's thread pool, off the event loop,
 * so a burst of logins does not stall other requests; with `nice` > 0 (Linux), those threads run
 * at that lower priority. Unknown users are compared against a dummy hash of the same cost, made
 * once at start, so their login costs what a wrong password costs.
 */
export const makeBcryptPasswordHasher = (cost: number, nice = 0) =>
  Layer.effect(
    PasswordHasher,
    Effect.gen(function*() {
      const hash = (plain: string) => Effect.promise(() => bcrypt.hash(plain, cost))
      const dummy = yield* hash("no user has this password, it only costs time")
      // The pool's threads exist once a hash ran.
      yield* lowerThreadPoolPriority(nice)
      return PasswordHasher.of({
        hash: (password) => Effect.map(hash(Redacted.value(password)), (h) => PasswordHash.make(h)),
        verify: (password, stored) =>
          Effect.map(
            Effect.promise(() => bcrypt.compare(Redacted.value(password), Option.getOrElse(stored, () => dummy))),
            (matches) => matches && Option.isSome(stored)
          )
      })
    })
  )

/** The bcrypt hasher with its cost read from `BCRYPT_COST` and its threads' nice value from `BCRYPT_NICE`. */
export const BcryptPasswordHasherLive = Layer.unwrap(
  Effect.map(Config.all([BcryptCost, BcryptNice]), ([cost, nice]) => makeBcryptPasswordHasher(cost, nice))
)
