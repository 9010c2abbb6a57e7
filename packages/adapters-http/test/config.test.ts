import { NodeServices } from "@effect/platform-node"
import { ConfigProvider, Duration, Effect, Exit, Layer, Option, Redacted } from "effect"
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { HttpConfig, layerDotEnv } from "../src/index.ts"

const load = (env: Record<string, string>) =>
  Effect.runPromiseExit(
    HttpConfig.useSync((config) => config).pipe(
      Effect.provide(HttpConfig.layer),
      Effect.provide(NodeServices.layer),
      Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))
    )
  )

const failure = async (env: Record<string, string>) => {
  const exit = await load(env)
  if (Exit.isSuccess(exit)) throw new Error("expected the configuration to be refused")
  const reason = exit.cause.reasons[0]
  return reason?._tag === "Fail" ? reason.error.message : String(exit.cause)
}

const dataDir = mkdtempSync(join(tmpdir(), "ticketmania-config-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
const secret = "0123456789abcdef0123456789abcdef"

describe("configuration from the environment", () => {
  it("has the contract's defaults", async () => {
    const exit = await load({ DATA_DIR: dataDir })
    if (Exit.isFailure(exit)) throw new Error(String(exit.cause))
    const config = exit.value
    expect(config).toMatchObject({ port: 4000, environment: "development", corsOrigins: [], bodyLimit: 1024 * 1024 })
    expect(Duration.toMillis(config.jwtTtl)).toBe(24 * 3600_000)
    expect(Duration.toMillis(config.shutdownTimeout)).toBe(30_000)
    expect(Duration.toMillis(config.requestTimeout)).toBe(30_000)
    expect(config.rateLimit).toEqual({ enabled: true, rps: 10, burst: 20, authPerMinute: 10 })
    expect(config.hashing).toMatchObject({ queue: 32, restWhileSelling: 3 })
  })

  it("reads every variable", async () => {
    const exit = await load({
      PORT: "8080",
      HOST: "127.0.0.1",
      APP_ENV: "production",
      JWT_SECRET: secret,
      JWT_TTL: "1h30m",
      CORS_TRUSTED_ORIGINS: "https://a.example  http://localhost:5173",
      RATE_LIMIT_ENABLED: "false",
      RATE_LIMIT_RPS: "2.5",
      RATE_LIMIT_BURST: "5",
      REDIS_URL: "redis://:pw@cache:6379",
      LOG_LEVEL: "debug",
      SHUTDOWN_TIMEOUT: "45s",
      REQUEST_TIMEOUT: "2500ms",
      BODY_LIMIT: "64KiB",
      TRUSTED_PROXIES: "10.0.0.0/8 192.168.1.10",
      HASH_CONCURRENCY: "3",
      HASH_QUEUE_MAX: "0",
      HASH_REST_WHILE_SELLING: "0"
    })
    if (Exit.isFailure(exit)) throw new Error(String(exit.cause))
    const c = exit.value
    expect(c).toMatchObject({ port: 8080, host: "127.0.0.1", environment: "production", logLevel: "Debug", bodyLimit: 65536 })
    expect(c.corsOrigins).toEqual(["https://a.example", "http://localhost:5173"])
    expect(c.rateLimit).toMatchObject({ enabled: false, rps: 2.5, burst: 5 })
    expect(Duration.toMinutes(c.jwtTtl)).toBe(90)
    expect(Duration.toSeconds(c.shutdownTimeout)).toBe(45)
    expect(Duration.toMillis(c.requestTimeout)).toBe(2500)
    expect(Option.map(c.redisUrl, Redacted.value)).toEqual(Option.some("redis://:pw@cache:6379"))
    expect(new TextDecoder().decode(Redacted.value(c.jwtSecret))).toBe(secret)
    expect(c.trustedProxies).toHaveLength(2)
    expect(c.hashing).toEqual({ concurrency: 3, queue: 0, restWhileSelling: 0 })
  })

  it.each([
    [{ PORT: "abc" }, 'invalid configuration: PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: "70000" }, 'invalid configuration: PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ APP_ENV: "staging" }, 'invalid configuration: APP_ENV must be one of development, production (got "staging")'],
    [{ APP_ENV: "production", JWT_SECRET: "" }, "invalid configuration: JWT_SECRET is required in production (at least 32 bytes)"],
    [{ JWT_SECRET: "short" }, "invalid configuration: JWT_SECRET must be at least 32 bytes (got 5)"],
    [{ RATE_LIMIT_ENABLED: "maybe" }, 'invalid configuration: RATE_LIMIT_ENABLED must be true or false (got "maybe")'],
    [{ HASH_CONCURRENCY: "0" }, 'invalid configuration: HASH_CONCURRENCY must be an integer from 1 to 1024 (got "0")'],
    [{ HASH_REST_WHILE_SELLING: "21" }, 'invalid configuration: HASH_REST_WHILE_SELLING must be an integer from 0 to 20 (got "21")'],
    [{ REDIS_URL: "http://secret@host" }, "invalid configuration: REDIS_URL must be a URL such as redis://localhost:6379"],
    [{ TRUSTED_PROXIES: "10.0.0.0/99" }, 'invalid configuration: TRUSTED_PROXIES must list IP addresses or networks such as 10.0.0.0/8 (bad: "10.0.0.0/99")']
  ])("refuses %j with one clear line", async (env, message) => {
    expect(await failure({ DATA_DIR: dataDir, JWT_SECRET: secret, ...env })).toBe(message)
  })

  it.each([
    [{ JWT_TTL: "forever" }, /^invalid configuration: JWT_TTL must be a duration such as 30s, 15m or 24h, from .+ \(got "forever"\)$/],
    [{ REQUEST_TIMEOUT: "50ms" }, /^invalid configuration: REQUEST_TIMEOUT must be a duration such as 30s, 15m or 24h, from .+ \(got "50ms"\)$/],
    [{ CORS_TRUSTED_ORIGINS: "https://ok.example https://bad.example/path" }, /^invalid configuration: CORS_TRUSTED_ORIGINS must list origins/]
  ])("refuses %j naming the variable", async (env, pattern) => {
    expect(await failure({ DATA_DIR: dataDir, JWT_SECRET: secret, ...env })).toMatch(pattern)
  })

  it("in development, generates a JWT secret once and keeps it in DATA_DIR, owner-only", async () => {
    const dir = join(dataDir, "fresh")
    const first = await load({ DATA_DIR: dir })
    const second = await load({ DATA_DIR: dir })
    if (Exit.isFailure(first) || Exit.isFailure(second)) throw new Error("config failed")
    const file = join(dir, "jwt-secret")
    expect(readFileSync(file, "utf8").trim().length).toBeGreaterThanOrEqual(43)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(Redacted.value(second.value.jwtSecret)).toEqual(Redacted.value(first.value.jwtSecret))
  })

  it("layerDotEnv is a layer for composition roots", () => {
    expect(Layer.isLayer(layerDotEnv)).toBe(true)
  })
})
