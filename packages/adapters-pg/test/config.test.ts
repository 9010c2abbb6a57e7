import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import { DatabaseSettingsConfig, parseMillis, PgTimeouts } from "../src/config.ts"

const withEnv = (env: Record<string, string>) => Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))

describe("database configuration", () => {
  it("reads durations the way operators write them", () => {
    assert.deepStrictEqual(
      ["5000", "500ms", "5s", "1.5s", "2m", "2min", "1h", "5 seconds", "soon", "-1s", "-1 seconds", ""].map(parseMillis),
      [5000, 500, 5000, 1500, 120_000, 120_000, 3_600_000, 5000, undefined, undefined, undefined, undefined]
    )
  })

  it.effect("defaults to the embedded database, a pool of 10 and bounded timeouts", () =>
    Effect.gen(function*() {
      const settings = yield* DatabaseSettingsConfig
      assert.isTrue(Option.isNone(settings.url))
      assert.deepStrictEqual(
        [settings.dataDir, settings.poolMax, settings.connectTimeoutMillis, settings.acquireTimeoutMillis],
        [".data", 10, 10_000, 10_000]
      )
      assert.deepStrictEqual(yield* PgTimeouts.config, { lockTimeoutMillis: 5_000, statementTimeoutMillis: 15_000 })
    }).pipe(withEnv({})))

  it.effect("takes DATABASE_URL, DB_POOL_MAX and the DB_*_TIMEOUT variables from the environment", () =>
    Effect.gen(function*() {
      const settings = yield* DatabaseSettingsConfig
      assert.deepStrictEqual(Option.map(settings.url, Redacted.value), Option.some("postgres://db.example/app"))
      assert.strictEqual(settings.poolMax, 4)
      assert.strictEqual(settings.acquireTimeoutMillis, 1_500)
      assert.deepStrictEqual(yield* PgTimeouts.config, { lockTimeoutMillis: 2_000, statementTimeoutMillis: 30_000 })
    }).pipe(withEnv({
      DATABASE_URL: "postgres://db.example/app",
      DB_POOL_MAX: "4",
      DB_LOCK_TIMEOUT: "2s",
      DB_STATEMENT_TIMEOUT: "30000",
      DB_ACQUIRE_TIMEOUT: "1.5s"
    })))

  it.effect("names the variable and what is wrong with a bad value", () =>
    Effect.gen(function*() {
      const pool = yield* Effect.flip(DatabaseSettingsConfig.pipe(withEnv({ DB_POOL_MAX: "0" })))
      assert.include(pool.message, "DB_POOL_MAX")
      assert.include(pool.message, "from 1 to 1000")
      const lock = yield* Effect.flip(PgTimeouts.config.pipe(withEnv({ DB_LOCK_TIMEOUT: "soon" })))
      assert.include(lock.message, "DB_LOCK_TIMEOUT")
    }))
})
