// Closed-loop clients that behave like people in a waiting room: each sends its next request as
// soon as the previous reply came, except after a 503 with Retry-After, when it waits as told
// (with a little jitter, so that a crowd told "1 s" does not come back in one instant). autocannon
// cannot wait between requests, and a load generator that retries a refusal at once only measures
// how fast the server can say "no". Every request can carry its own body and headers, so purchases
// have unique buyers and idempotency keys. The run stops sending at the deadline and waits for the
// replies in flight, so the replies counted are exactly the requests the server answered. Each
// client keeps one connection of its own (keepAlive.ts: a lean client, so that the load generator
// takes as little as it can of the CPU the service and the database share with it).
import { KeepAliveConnection } from "./keepAlive.ts"

/** One request to send. */
export interface Outgoing {
  readonly path: string
  readonly body: string
  readonly headers?: Record<string, string>
}

/** One run of `clients` loops for `seconds`. */
export interface ClientsOptions {
  readonly base: string
  readonly clients: number
  readonly seconds: number
  /** The n-th request of the run (n counts from 0 across all clients). */
  readonly next: (n: number) => Outgoing
  /** Stop early once this says so (checked after every reply). */
  readonly done?: () => boolean
  /** Called with every reply as it comes. */
  readonly onReply?: (reply: Reply) => void
}

/** A reply as the clients saw it. */
export interface Reply {
  /** The request's number (what `next` was called with). */
  readonly n: number
  readonly status: number
  readonly millis: number
  readonly replayed: boolean
  /** `code` of an error body (sold_out, unavailable, ...). */
  readonly code: string | undefined
  /** The error message of an error body. */
  readonly message: string | undefined
  /** When the reply came, ms since the run started. */
  readonly at: number
}

/** What a run saw. */
export interface ClientsResult {
  readonly seconds: number
  readonly replies: ReadonlyArray<Reply>
  /** Requests that got no reply (connection errors, timeouts). */
  readonly errors: number
}

const errorOf = (text: string): { readonly code: string | undefined; readonly message: string | undefined } => {
  if (!text.startsWith("{\"error\"")) return { code: undefined, message: undefined }
  try {
    const parsed = JSON.parse(text) as { readonly code?: unknown; readonly error?: unknown }
    return {
      code: typeof parsed.code === "string" ? parsed.code : undefined,
      message: typeof parsed.error === "string" ? parsed.error : undefined
    }
  } catch {
    return { code: undefined, message: undefined }
  }
}

/** Runs the clients; resolves once the deadline passed and every request in flight was answered. */
export const runClients = async (options: ClientsOptions): Promise<ClientsResult> => {
  const url = new URL(options.base)
  const headFor = (out: Outgoing) =>
    [
      `POST ${out.path} HTTP/1.1`,
      `Host: ${url.host}`,
      "Content-Type: application/json",
      ...Object.entries(out.headers ?? {}).map(([name, value]) => `${name}: ${value}`)
    ].join("\r\n")
  const replies: Array<Reply> = []
  let errors = 0
  let n = 0
  // Connected before the clock starts, as buyers on the sale's page are when it opens (and as wrk
  // or autocannon measure): a reply's latency runs from its request's write. One process opening a
  // thousand sockets at once would otherwise time its own connecting, not the service (a first
  // request then waited 60–120 ms before the service could read it; BENCHMARKS.md, eighth round).
  // A connection that fails here is opened again by its first request, inside the clock.
  const connections = Array.from({ length: options.clients }, () => new KeepAliveConnection(url.hostname, Number(url.port), 30_000))
  await Promise.all(connections.map((c) => c.connect().catch(() => undefined)))
  const started = performance.now()
  const deadline = started + options.seconds * 1000
  const stop = () => performance.now() >= deadline || (options.done?.() ?? false)
  const client = async (connection: KeepAliveConnection) => {
    while (!stop()) {
      const number = n++
      const out = options.next(number)
      const sent = performance.now()
      const reply = await connection.request(headFor(out), out.body).catch(() => undefined)
      const now = performance.now()
      if (reply === undefined) {
        errors++
        continue
      }
      const got: Reply = {
        n: number,
        status: reply.status,
        millis: now - sent,
        replayed: reply.headers.get("idempotent-replayed") === "true",
        ...errorOf(reply.body),
        at: now - started
      }
      replies.push(got)
      options.onReply?.(got)
      const retryAfter = Number(reply.headers.get("retry-after"))
      if (reply.status === 503 && Number.isFinite(retryAfter) && retryAfter > 0) {
        const wait = Math.min(retryAfter * 1000 * (0.5 + Math.random()), deadline - performance.now())
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      }
    }
    connection.close()
  }
  await Promise.all(connections.map(client))
  return { seconds: (performance.now() - started) / 1000, replies, errors }
}

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

/** p50 and p99 of the replies' latencies (ms). */
export const latency = (replies: ReadonlyArray<Reply>) => {
  const sorted = replies.map((r) => r.millis).sort((a, b) => a - b)
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), count: sorted.length }
}

/** Replies by status (replays of a 201 counted apart as `201 replayed`). */
export const byStatus = (replies: ReadonlyArray<Reply>): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const r of replies) {
    const key = r.status === 201 && r.replayed ? "201 replayed" : r.code === undefined ? String(r.status) : `${r.status} ${r.code}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}
