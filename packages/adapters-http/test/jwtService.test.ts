import { assert, describe, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Exit, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { Email, UserId } from "@ticketmania/domain"
import { makeJwt, MIN_SECRET_BYTES } from "../src/index.ts"

const jwt = makeJwt(Redacted.make(new TextEncoder().encode("k".repeat(MIN_SECRET_BYTES))), Duration.hours(1))
const user = { id: UserId.make(42), email: Email.make("ada@example.com") }

describe("Jwt", () => {
  it.effect("verifies what it issues, with the subject and email", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(DateTime.makeUnsafe("2030-01-01T00:00:00Z")))
      const { token, expiresAt } = yield* jwt.issue(user)
      assert.strictEqual(DateTime.formatIso(expiresAt), "2030-01-01T01:00:00.000Z")
      assert.deepStrictEqual(yield* jwt.verify(token), { id: 42, email: "ada@example.com" })
    }))

  it.effect("refuses a token once its lifetime (and the 5 s clock allowance) has passed", () =>
    Effect.gen(function*() {
      const { token } = yield* jwt.issue(user)
      yield* TestClock.adjust(Duration.sum(Duration.hours(1), Duration.seconds(4)))
      assert.isTrue(Exit.isSuccess(yield* Effect.exit(jwt.verify(token))))
      yield* TestClock.adjust(Duration.seconds(2))
      const expired = yield* Effect.flip(jwt.verify(token))
      assert.strictEqual(expired.reason, "ERR_JWT_EXPIRED")
    }))

  it.effect("refuses a token issued by a server with another secret", () =>
    Effect.gen(function*() {
      const other = makeJwt(Redacted.make(new TextEncoder().encode("o".repeat(MIN_SECRET_BYTES))), Duration.hours(1))
      const { token } = yield* other.issue(user)
      const error = yield* Effect.flip(jwt.verify(token))
      assert.strictEqual(error._tag, "TokenInvalid")
    }))
})
