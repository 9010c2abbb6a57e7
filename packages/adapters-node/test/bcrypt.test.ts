import { assert, describe, it } from "@effect/vitest"
import { type Config, ConfigProvider, Effect, Option } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { password, PasswordHasher } from "@ticketmania/domain"
import { BcryptCost, BcryptNice, makeBcryptPasswordHasher } from "@ticketmania/adapters-node"

/** What `config` reads from each environment, or "refused". */
const readEach = <A>(config: Config.Config<A>, envs: ReadonlyArray<Record<string, string>>) =>
  Effect.forEach(envs, (env) =>
    config.parse(ConfigProvider.fromEnvRecord(env)).pipe(Effect.match({ onFailure: () => "refused" as const, onSuccess: (a) => a })))

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
    Effect.map(
      readEach(BcryptCost, [{}, { BCRYPT_COST: "10" }, { BCRYPT_COST: "3" }, { BCRYPT_COST: "twelve" }]),
      (values) => assert.deepStrictEqual(values, [12, 10, "refused", "refused"])
    ))

  it.effect("reads BCRYPT_NICE, defaulting to 19 (the lowest priority) and refusing values outside 0..19", () =>
    Effect.map(
      readEach(BcryptNice, [{}, { BCRYPT_NICE: "0" }, { BCRYPT_NICE: "20" }, { BCRYPT_NICE: "-1" }]),
      (values) => assert.deepStrictEqual(values, [19, 0, "refused", "refused"])
    ))

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
