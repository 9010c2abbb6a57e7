import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { EmailTaken, PasswordHash, User, UserRepository } from "@ticketmania/domain"
import type { Email, MailMessage, NewUser, UserId } from "@ticketmania/domain"
import { isUniqueViolationOf } from "../sql/errors.ts"
import { insertMail } from "../sql/mail.ts"
import { rowDecoder } from "../sql/rows.ts"

const USER_COLUMNS = `id, name, email, created_at AS "createdAt"`

const Credentials = Schema.Struct({ user: User, passwordHash: PasswordHash })

/** `UserRepository` on PostgreSQL. Needs a `SqlClient` on a migrated database. */
export const PgUserRepository = Layer.effect(
  UserRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const decodeUser = rowDecoder(User)
    const decodeCredentials = rowDecoder(Credentials)
    const emailTaken = isUniqueViolationOf("users_email_key")

    // One statement inserts the user and queues the mail: both happen or neither does. Two racing
    // registrations meet at the unique index, and the loser's statement fails whole.
    const create = Effect.fn("PgUserRepository.create")(
      function*(user: NewUser, mail: ReadonlyArray<MailMessage>) {
        const now = DateTime.toDateUtc(yield* DateTime.now)
        const rows = yield* sql`
          WITH new_user AS (
            INSERT INTO users (name, email, password_hash, created_at)
            VALUES (${user.name}, ${user.email.toLowerCase()}, ${user.passwordHash}, ${now})
            RETURNING id, name, email, created_at
          ), queued AS (${insertMail(sql, mail, now)})
          SELECT ${sql.literal(USER_COLUMNS)} FROM new_user`
        return yield* decodeUser(rows[0])
      },
      Effect.catchTag("SqlError", (error) => emailTaken(error) ? Effect.fail(new EmailTaken()) : Effect.die(error))
    )

    const findOne = <A>(decode: (row: unknown) => Effect.Effect<A>) => (rows: ReadonlyArray<unknown>) =>
      rows.length === 0 ? Effect.succeed(Option.none<A>()) : Effect.map(decode(rows[0]), Option.some)

    // lower(email) on both sides: the lookup uses the unique index whatever the caller passes.
    const byEmail = (email: Email) =>
      sql`SELECT ${sql.literal(USER_COLUMNS)}, password_hash AS "passwordHash"
        FROM users WHERE lower(email) = lower(${email})`

    return UserRepository.of({
      create,
      findCredentials: Effect.fn("PgUserRepository.findCredentials")(function*(email: Email) {
        const rows = yield* byEmail(email).pipe(Effect.orDie)
        return yield* findOne(decodeCredentials)(
          rows.map((row) => ({ user: row, passwordHash: row.passwordHash }))
        )
      }),
      findByEmail: Effect.fn("PgUserRepository.findByEmail")(function*(email: Email) {
        return yield* findOne(decodeUser)(yield* byEmail(email).pipe(Effect.orDie))
      }),
      findById: Effect.fn("PgUserRepository.findById")(function*(id: UserId) {
        const rows = yield* sql`SELECT ${sql.literal(USER_COLUMNS)} FROM users WHERE id = ${id}`.pipe(Effect.orDie)
        return yield* findOne(decodeUser)(rows)
      })
    })
  })
)
