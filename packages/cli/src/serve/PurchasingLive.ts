import { Config, Effect, Layer, Schema } from "effect"
import { coalescePurchases, type CoalescingOptions, TicketInventory } from "@ticketmania/domain"
import { parseMillis } from "@ticketmania/adapters-pg"

// How purchases meet the inventory in `serve` (see docs/DESIGN.md, "Flash sales"): coalesced into
// batches behind a bounded queue, with sold-out types answered from a short memo. The switch turns
// all three off at once, leaving one transaction per purchase (what the bench compares against).

const Millis = Schema.String.check(
  Schema.makeFilter((s: string) => parseMillis(s) !== undefined || "must be a duration such as 2ms, 500ms or 1s")
)
const millis = (name: string, fallback: number) =>
  Config.schema(Millis, name).pipe(Config.map((text) => parseMillis(text) ?? fallback), Config.withDefault(fallback))

const count = (name: string, min: number, max: number, fallback: number) =>
  Config.schema(
    Schema.String.check(Schema.makeFilter((s: string) =>
      (/^\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max) || `must be an integer from ${min} to ${max}`
    )),
    name
  ).pipe(Config.map(Number), Config.withDefault(fallback))

/** The purchase settings of `serve`, from the environment. */
export const PurchasingConfig = Config.all({
  /** `PURCHASE_COALESCING` (true): batches, admission queue and sold-out memo; false: none of them. */
  enabled: Config.Boolean("PURCHASE_COALESCING").pipe(Config.withDefault(true)),
  /** `PURCHASE_BATCH_WINDOW` (2ms): how long an idle ticket type gathers buyers before its first batch. */
  windowMillis: millis("PURCHASE_BATCH_WINDOW", 2),
  /** `PURCHASE_BATCH_MAX` (64): most purchases in one transaction. */
  maxBatch: count("PURCHASE_BATCH_MAX", 1, 10_000, 64),
  /**
   * `PURCHASE_BATCHES_IN_FLIGHT` (2): batches of one ticket type in flight at once, pipelined (the
   * next starts once the one before holds its locks); 1: one after the other.
   */
  batchesInFlight: count("PURCHASE_BATCHES_IN_FLIGHT", 1, 16, 2),
  /** `PURCHASE_QUEUE_MAX` (1000): most purchases waiting; the next gets 503 with Retry-After at once. */
  maxQueued: count("PURCHASE_QUEUE_MAX", 1, 1_000_000, 1_000),
  /**
   * `PURCHASE_QUEUE_WAIT` (40ms): longest expected wait for a batch; a purchase that would wait
   * longer (and does not fit the next batch) gets 503 with Retry-After at once.
   */
  maxWaitMillis: millis("PURCHASE_QUEUE_WAIT", 40),
  /** `SOLD_OUT_MEMO_TTL` (1s): how long a sold-out ticket type is answered without the database; 0: never. */
  soldOutTtlMillis: millis("SOLD_OUT_MEMO_TTL", 1_000)
})

/** What an `Overloaded` refusal tells clients to wait: a batch or two's time, rounded up. */
const RETRY_AFTER_SECONDS = 1

/** `TicketInventory` coalesced as configured, over the real one; with the switch off, the real one. */
export const PurchasingLive: Layer.Layer<TicketInventory, Config.ConfigError, TicketInventory> = Layer.unwrap(
  Effect.map(PurchasingConfig, ({ enabled, ...settings }) => {
    const options: CoalescingOptions = { ...settings, retryAfterSeconds: RETRY_AFTER_SECONDS }
    return enabled ? coalescePurchases(options) : Layer.effectContext(Effect.context<TicketInventory>())
  })
)
