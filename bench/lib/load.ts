// Closed-loop HTTP load with autocannon: `connections` clients each sending the next request as
// soon as the previous reply arrived, for a fixed time or a fixed count. Every run is bounded in
// both (a count-bounded run also stops after `maxSeconds`).
import autocannon from "autocannon"

/** One load run. */
export interface LoadOptions {
  readonly url: string
  readonly connections: number
  /** Run for this long... */
  readonly seconds?: number
  /** ...or until this many requests were answered (and at most `maxSeconds`, default 120). */
  readonly amount?: number
  readonly maxSeconds?: number
  readonly method?: "GET" | "POST"
  readonly body?: string
}

/** What a load run measured. Latencies in ms (autocannon's resolution is 1 ms). */
export interface LoadResult {
  readonly seconds: number
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly statuses: Record<string, number>
  /** Connection errors and timeouts. */
  readonly errors: number
}

export const load = async (options: LoadOptions): Promise<LoadResult> => {
  const run = autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds ?? 10 } : { amount: options.amount }),
    method: options.method ?? "GET",
    ...(options.body === undefined ? {} : { body: options.body, headers: { "content-type": "application/json" } }),
    timeout: 30
  })
  const guard = setTimeout(() => run.stop(), (options.maxSeconds ?? 120) * 1000)
  const result = await run
  clearTimeout(guard)
  const statuses: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats)) statuses[code] = stats?.count ?? 0
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0)
  return {
    seconds: result.duration,
    requests,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses,
    errors: result.errors + result.timeouts
  }
}
