import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"
import { makeGroupCommit } from "../src/mail/groupCommit.ts"

// Group commit: one write in flight at a time, everything that arrived meanwhile in the next one.

/** A commit whose writes are recorded and, when `gate` is given, wait for it. */
const recording = (gate?: Deferred.Deferred<void>) => {
  const writes: Array<ReadonlyArray<number>> = []
  const { commit } = makeGroupCommit((items: ReadonlyArray<number>) =>
    Effect.suspend(() => {
      writes.push(items)
      const wait = gate === undefined || writes.length > 1 ? Effect.void : Deferred.await(gate)
      return Effect.as(wait, (item: number) => item * 10)
    }))
  return { writes, commit }
}

describe("group commit", () => {
  it.effect("writes a lone item at once and answers its outcome", () =>
    Effect.gen(function*() {
      const { writes, commit } = recording()
      assert.strictEqual(yield* commit(7), 70)
      assert.deepStrictEqual(writes, [[7]])
    }))

  it.effect("gathers the items that arrive while a write is in flight into the next write", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { writes, commit } = recording(gate)
      const first = yield* Effect.forkChild(commit(1))
      yield* Effect.yieldNow
      const others = yield* Effect.forkChild(Effect.forEach([2, 3, 4, 5], commit, { concurrency: "unbounded" }))
      yield* Effect.yieldNow
      assert.deepStrictEqual(writes, [[1]], "the others wait for the write in flight")
      yield* Deferred.succeed(gate, undefined)
      assert.strictEqual(yield* Fiber.join(first), 10)
      assert.deepStrictEqual(yield* Fiber.join(others), [20, 30, 40, 50])
      assert.deepStrictEqual(writes, [[1], [2, 3, 4, 5]])
    }))

  it.effect("fails every caller of a write that died, and only them", () =>
    Effect.gen(function*() {
      let calls = 0
      const { commit } = makeGroupCommit((_items: ReadonlyArray<string>) =>
        Effect.suspend(() => {
          calls++
          return calls === 1 ? Effect.die(new Error("connection lost")) : Effect.succeed((item: string) => item.length)
        }))
      const failed = yield* Effect.exit(Effect.forEach(["a", "bb"], commit, { concurrency: "unbounded" }))
      assert.isTrue(Exit.hasDies(failed))
      assert.strictEqual(yield* commit("ccc"), 3)
    }))
})
