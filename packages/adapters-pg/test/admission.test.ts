import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer } from "effect"
import { SqlError } from "effect/sql"
import { PgAdmission } from "../src/admission.ts"

// The bound on the wait for a connection (the pool of @effect/sql-pg has none): at most `poolMax`
// storage operations at once; one that cannot start in time dies with a connection SqlError,
// which the HTTP adapter answers with 503. The system tests show it end to end (pool.test.ts).

const withAdmission = (poolMax: number, timeoutMillis: number) =>
  Effect.provide(Layer.fresh(PgAdmission.bounded(poolMax, timeoutMillis)))

describe("PgAdmission", () => {
  it.live("runs up to poolMax operations at once and queues the next until one ends", () =>
    Effect.gen(function*() {
      const { admit } = yield* PgAdmission
      const release = yield* Deferred.make<void>()
      const started = yield* Effect.forEach([1, 2], () => Deferred.make<void>())
      const holders = yield* Effect.forEach(started, (running) =>
        Effect.forkChild(admit(Effect.andThen(Deferred.succeed(running, undefined), Deferred.await(release)))))
      yield* Effect.forEach(started, Deferred.await)
      const third = yield* Effect.forkChild(admit(Effect.succeed("ran")))
      yield* Effect.forEach([1, 2, 3, 4, 5], () => Effect.yieldNow)
      assert.isUndefined(third.pollUnsafe())
      yield* Deferred.succeed(release, undefined)
      assert.strictEqual(yield* Fiber.join(third), "ran")
      yield* Fiber.joinAll(holders)
    }).pipe(withAdmission(2, 5_000)))

  it.live("fails an operation that cannot start within the timeout with a connection SqlError", () =>
    Effect.gen(function*() {
      const { admit } = yield* PgAdmission
      const release = yield* Deferred.make<void>()
      const running = yield* Deferred.make<void>()
      const holder = yield* Effect.forkChild(admit(Effect.andThen(Deferred.succeed(running, undefined), Deferred.await(release))))
      yield* Deferred.await(running)
      const exit = yield* Effect.exit(admit(Effect.succeed("never")))
      assert.isTrue(Exit.isFailure(exit))
      const defect = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Die")?.defect : undefined
      assert.isTrue(SqlError.isSqlError(defect) && defect.reason._tag === "ConnectionError")
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(holder)
    }).pipe(withAdmission(1, 100)))

  it.effect("admits everything at once when no bound is provided", () =>
    Effect.gen(function*() {
      const { admit } = yield* PgAdmission
      assert.deepStrictEqual(yield* Effect.all([1, 2, 3].map((n) => admit(Effect.succeed(n))), { concurrency: "unbounded" }), [1, 2, 3])
    }))
})
