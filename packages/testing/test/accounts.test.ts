import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import { authenticateUser, DateTime, MailOutbox, registerUser } from "./support.ts"
import { InMemoryStorage, InMemoryTicketCodes, makeInMemoryPasswordHasher } from "@ticketmania/testing"

// A core whose hasher counts its calls: hashing is the expensive step, so tests can prove when
// it is (and is not) done.
const countingCore = Effect.gen(function*() {
  const calls = yield* Ref.make(0)
  const layer = Layer.mergeAll(InMemoryStorage, InMemoryTicketCodes, makeInMemoryPasswordHasher(Ref.update(calls, (n) => n + 1)))
  return { calls, layer }
})

const register = { name: "John Doe", email: "john@example.com", password: "securepassword123" }

describe("registerUser", () => {
  it.effect("stores the user with a hash, never the password, and queues the welcome mail", () =>
    Effect.gen(function*() {
      const { layer } = yield* countingCore
      yield* Effect.gen(function*() {
        const user = yield* registerUser({ ...register, email: " John@Example.com " })
        assert.strictEqual(user.email, "john@example.com")
        assert.strictEqual(user.name, "John Doe")
        const [mail] = yield* (yield* MailOutbox).claimDue(10, DateTime.add(yield* DateTime.now, { seconds: 1 }), 1000)
        assert.strictEqual(mail?.message.to, "john@example.com")
        assert.strictEqual(mail?.message.subject, "Welcome to TicketMania!")
      }).pipe(Effect.provide(layer))
    }))

  it.effect("validates before hashing", () =>
    Effect.gen(function*() {
      const { calls, layer } = yield* countingCore
      const error = yield* Effect.flip(registerUser({ ...register, password: "short" }).pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "ValidationFailed")
      assert.strictEqual(yield* Ref.get(calls), 0)
    }))

  it.effect("refuses an email already registered in another case", () =>
    Effect.gen(function*() {
      const { layer } = yield* countingCore
      const error = yield* Effect.gen(function*() {
        yield* registerUser(register)
        return yield* Effect.flip(registerUser({ ...register, email: "JOHN@example.COM" }))
      }).pipe(Effect.provide(layer))
      assert.strictEqual(error._tag, "EmailTaken")
    }))
})

describe("authenticateUser", () => {
  it.effect("returns the user for the right password, in any email case", () =>
    Effect.gen(function*() {
      const { layer } = yield* countingCore
      const user = yield* Effect.gen(function*() {
        yield* registerUser(register)
        return yield* authenticateUser({ email: "JOHN@EXAMPLE.COM", password: "securepassword123" })
      }).pipe(Effect.provide(layer))
      assert.strictEqual(user.email, "john@example.com")
    }))

  it.effect("fails alike, after one comparison each, for a wrong password and an unknown email", () =>
    Effect.gen(function*() {
      const { calls, layer } = yield* countingCore
      yield* Effect.gen(function*() {
        yield* registerUser(register)
        const before = yield* Ref.get(calls)
        const wrong = yield* Effect.flip(authenticateUser({ email: register.email, password: "wrongpassword" }))
        const afterWrong = yield* Ref.get(calls)
        const unknown = yield* Effect.flip(authenticateUser({ email: "nobody@example.com", password: "wrongpassword" }))
        const afterUnknown = yield* Ref.get(calls)
        assert.deepStrictEqual([wrong._tag, unknown._tag], ["InvalidCredentials", "InvalidCredentials"])
        assert.strictEqual(wrong.message, unknown.message)
        assert.deepStrictEqual([afterWrong - before, afterUnknown - afterWrong], [1, 1])
      }).pipe(Effect.provide(layer))
    }))

  it.effect("reports a missing password and a malformed email as validation failures", () =>
    Effect.gen(function*() {
      const { layer } = yield* countingCore
      const error = yield* Effect.flip(authenticateUser({ email: "nope" }).pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "ValidationFailed")
      if (error._tag === "ValidationFailed") assert.deepStrictEqual(Object.keys(error.fields).sort(), ["email", "password"])
    }))
})
