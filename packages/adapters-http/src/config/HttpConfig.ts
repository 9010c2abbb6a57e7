import { Config, Context, Duration, Effect, FileSystem, Layer, Option, Path, Redacted, Result } from "effect"
import type { LogLevel } from "effect/LogLevel"
import type { IpNetwork } from "effect/net"
import { availableParallelism } from "node:os"
import packageJson from "../../package.json" with { type: "json" }
import { checkSecret, ConfigInvalid, developmentSecret } from "./jwtSecret.ts"
import * as parse from "./parse.ts"

/** Everything the HTTP adapter reads from the environment. */
export interface HttpConfigShape {
  readonly port: number
  /** Interface to listen on; undefined: all of them. */
  readonly host: string | undefined
  readonly environment: "development" | "production"
  readonly version: string
  readonly dataDir: string
  readonly jwtSecret: Redacted.Redacted<Uint8Array>
  readonly jwtTtl: Duration.Duration
  readonly corsOrigins: ReadonlyArray<string>
  /** Proxies (load balancers) whose `X-Forwarded-For` names the client; none by default. */
  readonly trustedProxies: ReadonlyArray<IpNetwork.IpNetwork>
  readonly rateLimit: {
    readonly enabled: boolean
    /** Sustained requests per second per client IP. */
    readonly rps: number
    /** Bucket size: how many requests a client may send at once. */
    readonly burst: number
    /** Login and registration attempts per minute per client IP (also the burst). */
    readonly authPerMinute: number
  }
  readonly redisUrl: Option.Option<Redacted.Redacted<string>>
  readonly logLevel: LogLevel
  readonly shutdownTimeout: Duration.Duration
  /**
   * `REQUEST_TIMEOUT` (30s): longest time a request may take, its body included, before it is
   * answered 503 and its work interrupted (a sale not yet committed is not made).
   */
  readonly requestTimeout: Duration.Duration
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number
  /** Password hashing admission (login, register): hashes at once, and how many more may wait. */
  readonly hashing: {
    /** `HASH_CONCURRENCY`: hashes at once (default: cores − 1, at least 1). */
    readonly concurrency: number
    /**
     * `HASH_QUEUE_MAX` (32): hashing requests that may wait for a turn; fewer when they could not
     * start within a second at the recent pace. More get 503 with Retry-After at once.
     */
    readonly queue: number
    /**
     * `HASH_REST_WHILE_SELLING` (3): while purchases are being sold, a slot rests this many times
     * as long as its last hash took before the next (0: no rest), so that hashing gives way to a
     * sale; see `handlers/admission.ts`.
     */
    readonly restWhileSelling: number
  }
}

/** The HTTP adapter's configuration. */
export class HttpConfig extends Context.Service<HttpConfig, HttpConfigShape>()("@ticketmania/adapters-http/HttpConfig") {
  /**
   * Reads the configuration from the current `ConfigProvider` (the environment, plus `.env` when
   * `layerDotEnv` is provided). Fails with `ConfigInvalid` naming the first bad variable.
   * Needs `FileSystem` and `Path` for the development JWT secret.
   */
  static readonly layer: Layer.Layer<HttpConfig, ConfigInvalid, FileSystem.FileSystem | Path.Path> = Layer.effect(
    HttpConfig,
    Effect.suspend(() => loadHttpConfig)
  )

  /** A fixed configuration for tests: development defaults, rate limiting off, a fixed secret. */
  static readonly testValues = (overrides: Partial<HttpConfigShape> = {}): HttpConfigShape => ({
    port: 0,
    host: "127.0.0.1",
    environment: "development",
    version: packageJson.version,
    dataDir: ".data",
    jwtSecret: Redacted.make(new TextEncoder().encode("test-secret-that-is-long-enough-for-hs256!")),
    jwtTtl: Duration.hours(24),
    corsOrigins: [],
    trustedProxies: [],
    rateLimit: { enabled: false, rps: 10, burst: 20, authPerMinute: 10 },
    redisUrl: Option.none(),
    logLevel: "Info",
    shutdownTimeout: Duration.seconds(30),
    requestTimeout: Duration.seconds(30),
    bodyLimit: 1024 * 1024,
    hashing: { concurrency: 2, queue: 64, restWhileSelling: 0 },
    ...overrides
  })

  /** `testValues` as a layer. */
  static readonly layerTest = (overrides: Partial<HttpConfigShape> = {}): Layer.Layer<HttpConfig> =>
    Layer.succeed(HttpConfig, HttpConfig.testValues(overrides))
}

const LOG_LEVELS: Record<string, LogLevel> = { trace: "Trace", debug: "Debug", info: "Info", warn: "Warn", error: "Error", fatal: "Fatal", none: "None" }

/** The raw value of a variable; empty counts as unset. */
const raw = (name: string) =>
  Config.option(Config.String(name)).pipe(
    Effect.map(Option.filter((s) => s.trim() !== "")),
    Effect.mapError(() => new ConfigInvalid({ variable: name, problem: "cannot be read" }))
  )

/** A variable parsed with `parser`, or `fallback` when unset. */
const read = <A>(name: string, parser: (raw: string) => Result.Result<A, string>, fallback: A) =>
  Effect.flatMap(raw(name), (value) => {
    if (Option.isNone(value)) return Effect.succeed(fallback)
    const parsed = parser(value.value)
    return Result.isSuccess(parsed)
      ? Effect.succeed(parsed.success)
      : Effect.fail(new ConfigInvalid({ variable: name, problem: parsed.failure }))
  })

const loadHttpConfig = Effect.gen(function*() {
  // `ENV` is what the original service's `.env` used.
  const envVariable = Option.isSome(yield* raw("APP_ENV")) ? "APP_ENV" : "ENV"
  const environment = yield* read(envVariable, parse.oneOf(["development", "production"]), "development")
  const dataDir = Option.getOrElse(yield* raw("DATA_DIR"), () => ".data")
  const secretText = yield* raw("JWT_SECRET")
  if (Option.isNone(secretText) && environment === "production") {
    return yield* new ConfigInvalid({ variable: "JWT_SECRET", problem: "is required in production (at least 32 bytes)" })
  }
  const jwtSecret = Option.isSome(secretText)
    ? yield* checkSecret(secretText.value, "JWT_SECRET")
    : yield* developmentSecret(dataDir)
  const hashConcurrency = yield* read("HASH_CONCURRENCY", parse.integer(1, 1_024), Math.max(1, availableParallelism() - 1))
  const config: HttpConfigShape = {
    port: yield* read("PORT", parse.integer(0, 65535), 4000),
    host: Option.getOrUndefined(yield* raw("HOST")),
    environment,
    version: packageJson.version,
    dataDir,
    jwtSecret,
    jwtTtl: yield* read("JWT_TTL", parse.duration(Duration.minutes(1), Duration.days(30)), Duration.hours(24)),
    corsOrigins: yield* read("CORS_TRUSTED_ORIGINS", parse.origins, []),
    trustedProxies: yield* read("TRUSTED_PROXIES", parse.networks, []),
    rateLimit: {
      enabled: yield* read("RATE_LIMIT_ENABLED", parse.boolean, true),
      rps: yield* read("RATE_LIMIT_RPS", parse.positiveNumber(100_000), 10),
      burst: yield* read("RATE_LIMIT_BURST", parse.integer(1, 1_000_000), 20),
      authPerMinute: yield* read("RATE_LIMIT_AUTH_PER_MINUTE", parse.integer(1, 10_000), 10)
    },
    redisUrl: Option.map(
      yield* read("REDIS_URL", (s) => Result.map(parse.redisUrl(s), Option.some), Option.none<string>()),
      (url) => Redacted.make(url, { label: "REDIS_URL" })
    ),
    logLevel: yield* read("LOG_LEVEL", (s) => Result.map(parse.oneOf(Object.keys(LOG_LEVELS))(s), (k) => LOG_LEVELS[k] ?? "Info"), "Info"),
    shutdownTimeout: yield* read("SHUTDOWN_TIMEOUT", parse.duration(Duration.zero, Duration.minutes(10)), Duration.seconds(30)),
    requestTimeout: yield* read("REQUEST_TIMEOUT", parse.duration(Duration.millis(100), Duration.minutes(10)), Duration.seconds(30)),
    bodyLimit: yield* read("BODY_LIMIT", parse.byteSize(1024, 64 * 1024 * 1024), 1024 * 1024),
    hashing: {
      concurrency: hashConcurrency,
      queue: yield* read("HASH_QUEUE_MAX", parse.integer(0, 100_000), 32),
      restWhileSelling: yield* read("HASH_REST_WHILE_SELLING", parse.integer(0, 20), 3)
    }
  }
  return config
})
