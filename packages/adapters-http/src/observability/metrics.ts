import { Context, Effect, Metric } from "effect"
import { PrometheusMetrics } from "effect/observability"

// HTTP metrics, exported with the domain's business counters (tickets sold, sold-out rejections,
// orders) by `/metrics` in the Prometheus text format.

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

const requests = Metric.counter("http_requests_total", { description: "HTTP requests by method, route and status", incremental: true })
const latency = Metric.histogram("http_request_duration_seconds", {
  description: "HTTP request latency by method, route and status",
  boundaries: LATENCY_BUCKETS
})
const inFlight = Metric.gauge("http_requests_in_flight", { description: "HTTP requests being handled" })

// One tagged metric pair per (method, route, status): a handful of routes, so the map stays small.
const tagged = new Map<string, { readonly requests: typeof requests; readonly latency: typeof latency }>()

/**
 * Counts one finished request and its latency, at once, with the request fiber's `context` (what
 * `Metric.update` would read): the edge calls it for every request, so it is not an effect.
 */
export const recordRequestUnsafe = (
  method: string,
  route: string,
  status: number,
  seconds: number,
  running: number,
  context: Context.Context<never>
): void => {
  const key = `${method} ${route} ${status}`
  let metrics = tagged.get(key)
  if (metrics === undefined) {
    const attributes = { method, route, status: String(status) }
    metrics = { requests: Metric.withAttributes(requests, attributes), latency: Metric.withAttributes(latency, attributes) }
    tagged.set(key, metrics)
  }
  metrics.requests.updateUnsafe(1, context)
  metrics.latency.updateUnsafe(seconds, context)
  inFlight.updateUnsafe(running, context)
}

/** Connection pool usage, as a database adapter can report it. */
export interface DbPoolUsage {
  /** Connections open, busy or idle. */
  readonly total: number
  readonly idle: number
  /** Callers waiting for a connection. */
  readonly waiting: number
  readonly max: number
}

/**
 * A hook for the composition root: how to read the database pool's usage at scrape time. Unset,
 * `/metrics` has no pool gauges (the in-memory adapters have no pool).
 */
export const DbPoolStats = Context.Reference<{ readonly usage: Effect.Effect<DbPoolUsage> } | undefined>(
  "@ticketmania/adapters-http/DbPoolStats",
  { defaultValue: () => undefined }
)

const pool = Metric.gauge("ticketmania_db_pool_connections", { description: "Database pool connections by state" })
const poolWaiting = Metric.gauge("ticketmania_db_pool_waiting", { description: "Callers waiting for a database connection" })
const poolMax = Metric.gauge("ticketmania_db_pool_max", { description: "Largest size of the database pool" })

/** The Prometheus text of every metric of the process, with the pool gauges refreshed first. */
export const scrape = Effect.gen(function*() {
  const stats = yield* DbPoolStats
  if (stats !== undefined) {
    const usage = yield* stats.usage
    yield* Metric.update(Metric.withAttributes(pool, { state: "busy" }), usage.total - usage.idle)
    yield* Metric.update(Metric.withAttributes(pool, { state: "idle" }), usage.idle)
    yield* Metric.update(poolWaiting, usage.waiting)
    yield* Metric.update(poolMax, usage.max)
  }
  return yield* PrometheusMetrics.format()
})
