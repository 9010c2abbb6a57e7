import { assert } from "@effect/vitest"
import { layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option } from "effect"
import { Email, MailOutbox, PasswordHash, UserRepository, welcomeMail } from "@ticketmania/domain"
import { uniqueEmail } from "../fixtures.ts"
import type { ContractOptions, StoragePorts } from "./StoragePorts.ts"

/** The behaviour every `UserRepository` must have. */
export const userRepositoryContract = <E>(
  name: string,
  storage: Layer.Layer<StoragePorts, E>,
  options: ContractOptions = {}
) =>
  layer(storage, { excludeTestServices: true, timeout: options.timeout ?? 60_000 })(
    `UserRepository contract (${name})`,
    (it) => {
      const hash = PasswordHash.make("$2b$12$fixture")

      it.effect("stores a user and finds it by email, by id, and with its credentials", () =>
        Effect.gen(function*() {
          const users = yield* UserRepository
          const email = uniqueEmail("find")
          const user = yield* users.create({ name: "Ada", email, passwordHash: hash }, [])
          assert.strictEqual(user.name, "Ada")
          assert.strictEqual(user.email, email)
          assert.isTrue(user.id > 0)
          assert.deepStrictEqual(Option.map(yield* users.findByEmail(email), (u) => u.id), Option.some(user.id))
          assert.deepStrictEqual(Option.map(yield* users.findById(user.id), (u) => u.email), Option.some(email))
          const credentials = yield* users.findCredentials(email)
          assert.isTrue(Option.isSome(credentials))
          if (Option.isSome(credentials)) assert.strictEqual(credentials.value.passwordHash, hash)
        }))

      it.effect("finds nothing for an unknown email or id", () =>
        Effect.gen(function*() {
          const users = yield* UserRepository
          assert.isTrue(Option.isNone(yield* users.findByEmail(uniqueEmail("nobody"))))
          assert.isTrue(Option.isNone(yield* users.findCredentials(uniqueEmail("nobody"))))
        }))

      it.effect("refuses a second account with the same email", () =>
        Effect.gen(function*() {
          const users = yield* UserRepository
          const email = uniqueEmail("dup")
          yield* users.create({ name: "First", email, passwordHash: hash }, [])
          const error = yield* Effect.flip(users.create({ name: "Second", email, passwordHash: hash }, []))
          assert.strictEqual(error._tag, "EmailTaken")
        }))

      it.effect("lets exactly one of many racing registrations of one email win", () =>
        Effect.gen(function*() {
          const users = yield* UserRepository
          const email = uniqueEmail("race")
          const results = yield* Effect.forEach(
            Array.from({ length: 12 }, (_, i) => i),
            (i) => Effect.result(users.create({ name: `Racer ${i}`, email, passwordHash: hash }, [])),
            { concurrency: "unbounded" }
          )
          assert.strictEqual(results.filter((r) => r._tag === "Success").length, 1)
          assert.isTrue(results.every((r) => r._tag === "Success" || r.failure._tag === "EmailTaken"))
        }))

      it.effect("queues the given mail with the user, and none when the email is taken", () =>
        Effect.gen(function*() {
          const users = yield* UserRepository
          const outbox = yield* MailOutbox
          const email = uniqueEmail("mail")
          const mail = welcomeMail({ name: "Mia", email })
          yield* users.create({ name: "Mia", email, passwordHash: hash }, [mail])
          yield* Effect.flip(users.create({ name: "Mia again", email: Email.make(email), passwordHash: hash }, [mail]))
          const now = DateTime.add(yield* DateTime.now, { seconds: 1 })
          const claimed = yield* outbox.claimDue(1000, now, 60_000)
          const mine = claimed.filter((entry) => entry.message.to === email)
          assert.strictEqual(mine.length, 1)
          assert.strictEqual(mine[0]?.message.subject, "Welcome to TicketMania!")
        }))
    }
  )
