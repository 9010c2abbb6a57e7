import { Config, Context, Duration, Layer, Option, Schema } from "effect"
import type { Redacted } from "effect"

// Durations in the environment are read the way operators write them elsewhere: `5000` (ms),
// `500ms`, `5s`, `2m`/`2min`, `1h`, or Effect's own `5 seconds`. Zero is PostgreSQL's "no limit".
const UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000
}

const decodeDuration = Schema.decodeUnknownOption(Schema.DurationFromString)

/** Milliseconds in a duration written as above, or `undefined` when it is not one. */
export const parseMillis = (text: string): number | undefined => {
  const trimmed = text.trim()
  const short = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/.exec(trimmed)
  if (short !== null) {
    const [, value, unit] = short
    return Math.round(Number(value) * (UNITS[unit ?? "ms"] ?? 1))
  }
  const long = decodeDuration(trimmed)
  if (Option.isNone(long) || !Duration.isFinite(long.value)) return undefined
  const millis = Duration.toMillis(long.value)
  return millis >= 0 ? millis : undefined
}

const DurationText = Schema.String.check(
  Schema.makeFilter((s: string) =>
    parseMillis(s) !== undefined || "must be a duration such as 5000 (ms), 500ms, 5s, 2m or 1h"
  )
)

/** A duration read from the environment variable `name`, in milliseconds. */
export const millisConfig = (name: string, fallbackMillis: number): Config.Config<number> =>
  Config.schema(DurationText, name).pipe(
    Config.map((text) => parseMillis(text) ?? fallbackMillis),
    Config.withDefault(fallbackMillis)
  )

/** Limits applied to every transaction the adapters run (`SET LOCAL`), so a stuck lock fails fast. */
export interface PgTimeoutSettings {
  /** Longest wait for a row or advisory lock, in ms (`lock_timeout`). */
  readonly lockTimeoutMillis: number
  /** Longest run of one statement, in ms (`statement_timeout`). */
  readonly statementTimeoutMillis: number
}

/**
 * The timeouts the adapters use. A reference with safe defaults, so `PgAdaptersLive` works with
 * nothing else provided; `PgTimeouts.layerConfig` reads `DB_LOCK_TIMEOUT` / `DB_STATEMENT_TIMEOUT`.
 */
export class PgTimeouts extends Context.Reference<PgTimeoutSettings>("@ticketmania/adapters-pg/PgTimeouts", {
  defaultValue: () => ({ lockTimeoutMillis: 5_000, statementTimeoutMillis: 15_000 })
}) {
  static readonly config: Config.Config<PgTimeoutSettings> = Config.all({
    lockTimeoutMillis: millisConfig("DB_LOCK_TIMEOUT", 5_000),
    statementTimeoutMillis: millisConfig("DB_STATEMENT_TIMEOUT", 15_000)
  })
  static readonly layerConfig = Layer.effect(PgTimeouts, PgTimeouts.config)
}

const PoolSize = Schema.Int.check(
  Schema.makeFilter((n: number) => (n >= 1 && n <= 1_000) || "must be an integer from 1 to 1000")
)

/** How the application connects: everything `DatabaseLive` reads from the environment. */
export interface DatabaseSettings {
  /** `DATABASE_URL`; none means "run the embedded cluster in `DATA_DIR/pg`". */
  readonly url: Option.Option<Redacted.Redacted>
  /** `DATA_DIR` (default `.data`). */
  readonly dataDir: string
  /** `DB_POOL_MAX` (default 10). */
  readonly poolMax: number
  /** `DB_CONNECT_TIMEOUT` in ms (default 10 s). */
  readonly connectTimeoutMillis: number
  /** `DB_ACQUIRE_TIMEOUT` in ms (default 10 s): longest wait for a free connection; 0: no limit. */
  readonly acquireTimeoutMillis: number
}

/** Reads `DatabaseSettings` from the environment. */
export const DatabaseSettingsConfig: Config.Config<DatabaseSettings> = Config.all({
  url: Config.option(Config.Redacted("DATABASE_URL")),
  dataDir: Config.String("DATA_DIR").pipe(Config.withDefault(".data")),
  poolMax: Config.schema(PoolSize, "DB_POOL_MAX").pipe(Config.withDefault(10)),
  connectTimeoutMillis: millisConfig("DB_CONNECT_TIMEOUT", 10_000),
  acquireTimeoutMillis: millisConfig("DB_ACQUIRE_TIMEOUT", 10_000)
})
