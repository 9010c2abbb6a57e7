import { assert, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { SqlClient } from "effect/sql"
import { Email, PasswordHash, UserRepository, welcomeMail } from "@ticketmania/domain"
import { DB_TIMEOUT, TestStorage } from "./support.ts"

const hash = PasswordHash.make("$2b$12$hash")
let n = 0
const local = (label: string) => `${label}${Date.now().toString(36)}${++n}`

layer(TestStorage(), { excludeTestServices: true, timeout: DB_TIMEOUT })("PgUserRepository", (it) => {
  it.effect("stores emails lower-cased and finds them whatever the case asked", () =>
    Effect.gen(function*() {
      const users = yield* UserRepository
      const name = local("Mixed")
      // Email.make checks the shape only; the repository must still lower-case what it stores.
      const user = yield* users.create({ name: "Ada", email: Email.make(`${name}@Example.TEST`), passwordHash: hash }, [])
      assert.strictEqual(user.email, `${name.toLowerCase()}@example.test`)
      const found = yield* users.findByEmail(Email.make(`${name.toUpperCase()}@EXAMPLE.test`))
      assert.deepStrictEqual(Option.map(found, (u) => u.id), Option.some(user.id))
    }))

  it.effect("lets one of two registrations racing with one email in different cases win", () =>
    Effect.gen(function*() {
      const users = yield* UserRepository
      const sql = yield* SqlClient.SqlClient
      const name = local("race")
      const spellings = [`${name}@example.test`, `${name.toUpperCase()}@EXAMPLE.TEST`]
      const results = yield* Effect.forEach(
        spellings,
        (email) =>
          Effect.result(users.create({ name: "Racer", email: Email.make(email), passwordHash: hash }, [
            welcomeMail({ name: "Racer", email: Email.make(email.toLowerCase()) })
          ])),
        { concurrency: 2 }
      )
      assert.deepStrictEqual(results.map((r) => r._tag).sort(), ["Failure", "Success"])
      assert.isTrue(results.every((r) => r._tag === "Success" || r.failure._tag === "EmailTaken"))
      // The loser's welcome mail went with its failed insert.
      const mail = yield* sql<{ readonly n: bigint }>`
        SELECT count(*) AS n FROM mail_outbox WHERE recipient = ${`${name.toLowerCase()}@example.test`}`
      assert.strictEqual(mail[0]?.n, 1n)
    }))

  it.effect("returns the credentials with the stored hash and never the hash on a plain user", () =>
    Effect.gen(function*() {
      const users = yield* UserRepository
      const email = Email.make(`${local("cred")}@example.test`)
      const user = yield* users.create({ name: "Cy", email, passwordHash: hash }, [])
      const credentials = yield* users.findCredentials(email)
      assert.deepStrictEqual(Option.map(credentials, (c) => [c.user.id, c.passwordHash]), Option.some([user.id, hash]))
      const plain = yield* users.findById(user.id)
      assert.isTrue(Option.isSome(plain) && !("passwordHash" in plain.value))
    }))
})
