import { DateTime, Effect, Layer, Option } from "effect"
import { EmailTaken, type NewUser, User, UserId, UserRepository } from "@ticketmania/domain"
import type { Email, MailMessage } from "@ticketmania/domain"
import { InMemoryStore } from "./InMemoryStore.ts"
import { insertOutboxRows } from "./outboxRows.ts"

/** `UserRepository` over the in-memory store. */
export const InMemoryUserRepository = Layer.effect(
  UserRepository,
  Effect.gen(function*() {
    const store = yield* InMemoryStore
    const { users } = store.tables
    const byEmail = (email: Email) => [...users.values()].find((row) => row.user.email === email.toLowerCase())

    const create = Effect.fn("InMemoryUserRepository.create")(function*(
      newUser: NewUser,
      mail: ReadonlyArray<MailMessage>
    ) {
      const now = yield* DateTime.now
      return yield* store.transaction(Effect.suspend(() => {
        if (byEmail(newUser.email) !== undefined) return Effect.fail(new EmailTaken())
        const user = new User({
          id: UserId.make(store.nextId("user")),
          name: newUser.name,
          email: newUser.email,
          createdAt: now
        })
        users.set(user.id, { user, passwordHash: newUser.passwordHash })
        insertOutboxRows(store, mail, now)
        return Effect.succeed(user)
      }))
    })

    return UserRepository.of({
      create,
      findCredentials: (email) => Effect.sync(() => Option.fromNullishOr(byEmail(email))),
      findByEmail: (email) => Effect.sync(() => Option.fromNullishOr(byEmail(email)?.user)),
      findById: (id) => Effect.sync(() => Option.fromNullishOr(users.get(id)?.user))
    })
  })
)
