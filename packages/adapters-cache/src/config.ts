import { Config, Duration, Effect, Layer, Option, Schema } from "effect"
import type { EventRepository, TicketInventory } from "@ticketmania/domain"
import { cachedEventPorts } from "./CachedEventPorts.ts"

const SHORT = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/
const UNIT_MILLIS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000 }
const decodeDuration = Schema.decodeUnknownOption(Schema.DurationFromString)

/**
 * Milliseconds in `1500` (ms), `500ms`, `1s`, `2m`, `1h` (as operators write durations elsewhere in
 * the service) or Effect's `1 second`; undefined when it is none of them.
 */
export const parseTtl = (text: string): number | undefined => {
  const short = SHORT.exec(text.trim())
  if (short !== null) return Math.round(Number(short[1]) * (UNIT_MILLIS[short[2] ?? "ms"] ?? 1))
  const long = decodeDuration(text.trim())
  return Option.isSome(long) && Duration.isFinite(long.value) ? Duration.toMillis(long.value) : undefined
}

const Ttl = Schema.String.check(
  Schema.makeFilter((s: string) => parseTtl(s) !== undefined || "must be a duration such as 1000 (ms), 500ms, 1s or 1h")
)

/** The default time to live: how far behind other instances' sales a read may be. */
export const DEFAULT_TTL_MILLIS = 1_000

/** `EVENT_CACHE_TTL` in milliseconds (default 1 s); `0` turns the cache off. */
export const EventCacheTtl: Config.Config<number> = Config.schema(Ttl, "EVENT_CACHE_TTL").pipe(
  Config.map((text) => parseTtl(text) ?? DEFAULT_TTL_MILLIS),
  Config.withDefault(DEFAULT_TTL_MILLIS)
)

/**
 * `cachedEventPorts` configured from the environment (`EVENT_CACHE_TTL`); with a time to live of
 * 0 the real ports pass through untouched.
 */
export const CachedEventPortsLive: Layer.Layer<
  EventRepository | TicketInventory,
  Config.ConfigError,
  EventRepository | TicketInventory
> = Layer.unwrap(Effect.map(EventCacheTtl, (ttlMillis) =>
  ttlMillis === 0
    ? Layer.effectContext(Effect.context<EventRepository | TicketInventory>())
    : cachedEventPorts({ ttlMillis })
))
