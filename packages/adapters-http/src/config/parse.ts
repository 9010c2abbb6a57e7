import { Duration, Result } from "effect"
import { IpNetwork } from "effect/net"

// Parsers for environment values. Each returns the value or a short phrase saying what is wrong,
// which `HttpConfig` turns into one line naming the variable.

type Parsed<A> = Result.Result<A, string>

const quote = (raw: string): string => JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)

/** An integer within [min, max]. */
export const integer = (min: number, max: number) => (raw: string): Parsed<number> => {
  const n = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  return Number.isSafeInteger(n) && n >= min && n <= max
    ? Result.succeed(n)
    : Result.fail(`must be an integer from ${min} to ${max} (got ${quote(raw)})`)
}

/** A positive number (fractions allowed), at most `max`. */
export const positiveNumber = (max: number) => (raw: string): Parsed<number> => {
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  return n > 0 && n <= max ? Result.succeed(n) : Result.fail(`must be a number above 0 and at most ${max} (got ${quote(raw)})`)
}

/** `true`/`false` (also 1/0, yes/no, on/off). */
export const boolean = (raw: string): Parsed<boolean> => {
  const v = raw.trim().toLowerCase()
  if (["true", "1", "yes", "on"].includes(v)) return Result.succeed(true)
  if (["false", "0", "no", "off"].includes(v)) return Result.succeed(false)
  return Result.fail(`must be true or false (got ${quote(raw)})`)
}

/** One of the given words (case-insensitive). */
export const oneOf = <const A extends string>(values: ReadonlyArray<A>) => (raw: string): Parsed<A> => {
  const found = values.find((v) => v === raw.trim().toLowerCase())
  return found === undefined ? Result.fail(`must be one of ${values.join(", ")} (got ${quote(raw)})`) : Result.succeed(found)
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * A duration as the original Go service wrote them (`24h`, `90m`, `1h30m`, `30s`, `500ms`), or a
 * plain number of seconds; between `min` and `max`.
 */
export const duration = (min: Duration.Duration, max: Duration.Duration) => (raw: string): Parsed<Duration.Duration> => {
  const text = raw.trim()
  let millis = Number.NaN
  if (/^\d+$/.test(text)) millis = Number(text) * 1000
  else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    millis = 0
    for (const [, value, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
      millis += Number(value) * (UNITS[unit ?? "s"] ?? Number.NaN)
    }
  }
  const result = Duration.millis(millis)
  return Number.isFinite(millis) && Duration.isGreaterThanOrEqualTo(result, min) && Duration.isLessThanOrEqualTo(result, max)
    ? Result.succeed(result)
    : Result.fail(
      `must be a duration such as 30s, 15m or 24h, from ${Duration.format(min)} to ${Duration.format(max)} (got ${quote(raw)})`
    )
}

/** A size in bytes: a number, optionally with KiB, MiB (or KB, MB, read as powers of 1024). */
export const byteSize = (min: number, max: number) => (raw: string): Parsed<number> => {
  const match = /^(\d+)\s*(b|kb|kib|mb|mib)?$/i.exec(raw.trim())
  const unit = (match?.[2] ?? "b").toLowerCase()
  const n = match === null ? Number.NaN : Number(match[1]) * (unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 ** 2 : 1)
  return n >= min && n <= max ? Result.succeed(n) : Result.fail(`must be a size from ${min} to ${max} bytes, e.g. 1MiB (got ${quote(raw)})`)
}

/** Space-separated web origins (`https://app.example.com`), each without path or trailing slash. */
export const origins = (raw: string): Parsed<ReadonlyArray<string>> => {
  const items = raw.split(/\s+/).filter((s) => s.length > 0)
  for (const item of items) {
    const url = URL.canParse(item) ? new URL(item) : undefined
    if (url === undefined || !["http:", "https:"].includes(url.protocol) || url.origin !== item) {
      return Result.fail(`must list origins such as https://app.example.com separated by spaces (bad: ${quote(item)})`)
    }
  }
  return Result.succeed(items)
}

/** A Redis URL (`redis://` or `rediss://`). */
export const redisUrl = (raw: string): Parsed<string> => {
  const url = URL.canParse(raw.trim()) ? new URL(raw.trim()) : undefined
  return url !== undefined && ["redis:", "rediss:"].includes(url.protocol)
    ? Result.succeed(raw.trim())
    : Result.fail("must be a URL such as redis://localhost:6379")
}

/** Space-separated IP networks or addresses (`10.0.0.0/8 192.168.1.10`). */
export const networks = (raw: string): Parsed<ReadonlyArray<IpNetwork.IpNetwork>> => {
  const out: Array<IpNetwork.IpNetwork> = []
  for (const item of raw.split(/\s+/).filter((s) => s.length > 0)) {
    const network = IpNetwork.fromString(item.includes("/") ? item : `${item}/${item.includes(":") ? 128 : 32}`)
    if (Result.isFailure(network)) return Result.fail(`must list IP addresses or networks such as 10.0.0.0/8 (bad: ${quote(item)})`)
    out.push(network.success)
  }
  return Result.succeed(out)
}
