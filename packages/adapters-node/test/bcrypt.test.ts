import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { password, PasswordHasher } from "@ticketmania/domain"
import { BcryptCost, BcryptNice, makeBcryptPasswordHasher } from "@ticketmania/adapters-node"

describe("bcrypt password hasher", () => {
  it.live("stores the cost it was given in the hash", () =>
    Effect.gen(function*() {
      const hash = yield* PasswordHasher.use((h) => h.hash(password("securepassword123"))).pipe(
        Effect.provide(makeBcryptPasswordHasher(5))
      )
      assert.match(hash, /^\$2[aby]\$05\$/)
    }))

  it.live("verifies a hash made at another cost (costs can be raised without breaking logins)", () =>
    Effect.gen(function*() {
      const old = yield* PasswordHasher.use((h) => h.hash(password("securepassword123"))).pipe(
        Effect.provide(makeBcryptPasswordHasher(4))
      )
      const ok = yield* PasswordHasher.use((h) => h.verify(password("securepassword123"), Option.some(old))).pipe(
        Effect.provide(makeBcryptPasswordHasher(5))
      )
      assert.isTrue(ok)
    }))

  it.effect("reads BCRYPT_COST, defaulting to 12 and refusing values outside 4..15", () =>
    Effect.gen(function*() {
      const read = (env: Record<string, string>) =>
        BcryptCost.parse(ConfigProvider.fromEnvRecord(env)).pipe(Effect.result)
      const defaulted = yield* read({})
      assert.deepStrictEqual(defaulted._tag === "Success" ? defaulted.success : undefined, 12)
      const set = yield* read({ BCRYPT_COST: "10" })
      assert.deepStrictEqual(set._tag === "Success" ? set.success : undefined, 10)
      assert.strictEqual((yield* read({ BCRYPT_COST: "3" }))._tag, "Failure")
      assert.strictEqual((yield* read({ BCRYPT_COST: "twelve" }))._tag, "Failure")
    }))

  it.effect("reads BCRYPT_NICE, defaulting to 19 (the lowest priority) and refusing values outside 0..19", () =>
    Effect.gen(function*() {
      const read = (env: Record<string, string>) => BcryptNice.parse(ConfigProvider.fromEnvRecord(env)).pipe(Effect.result)
      const defaulted = yield* read({})
      assert.deepStrictEqual(defaulted._tag === "Success" ? defaulted.success : undefined, 19)
      const set = yield* read({ BCRYPT_NICE: "0" })
      assert.deepStrictEqual(set._tag === "Success" ? set.success : undefined, 0)
      assert.strictEqual((yield* read({ BCRYPT_NICE: "20" }))._tag, "Failure")
      assert.strictEqual((yield* read({ BCRYPT_NICE: "-1" }))._tag, "Failure")
    }))

  it.live.skipIf(process.platform !== "linux")("runs the hashing threads at the nice value it was given (Linux)", () =>
    Effect.gen(function*() {
      yield* PasswordHasher.use((h) => h.hash(password("securepassword123"))).pipe(Effect.provide(makeBcryptPasswordHasher(4, 7)))
      const pool = readdirSync("/proc/self/task").filter((tid) => readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim() === "libuv-worker")
      assert.isAbove(pool.length, 0)
      // The 19th field of /proc/<pid>/task/<tid>/stat is the nice value.
      const nices = pool.map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]?.split(" ")[16]))
      assert.deepStrictEqual([...new Set(nices)], [7])
    }))
})
