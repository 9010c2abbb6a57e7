/**
 * @ticketmania/adapters-cache — an in-process read cache of the event ports: event reads and
 * listing pages answered from memory, exact about availability for the sales this process makes
 * and at most `EVENT_CACHE_TTL` (1 s) behind for changes made elsewhere.
 */
export { cachedEventPorts } from "./CachedEventPorts.ts"
export { CachedEventPortsLive, DEFAULT_TTL_MILLIS, EventCacheTtl, parseTtl } from "./config.ts"
export type { EventCacheOptions } from "./EventCache.ts"
