import { Cause, Context, Effect, Exit, LogLevel, Option, References } from "effect"
import type { HttpServerResponse } from "effect/http"
import type { IncomingMessage, ServerResponse } from "node:http"
import type { TicketCodes, TicketInventory } from "@ticketmania/domain"
import { HttpConfig, type HttpConfigShape } from "../config/HttpConfig.ts"
import { clientKey } from "../http/clientKey.ts"
import { commonHeaders, NO_STORE } from "../http/edge.ts"
import { internalErrorResponse } from "../http/errorResponse.ts"
import { ClientRateLimiter } from "../http/rateLimit.ts"
import { requestIdFor } from "../http/RequestState.ts"
import { recordRequestUnsafe } from "../observability/metrics.ts"
import { Lifecycle } from "./Lifecycle.ts"

// What the fast paths (`fastPath.ts`) share: for each request one takes, what the edge middleware
// does for every request — the same rate-limit bucket, request id, common headers, metrics, access
// line and in-flight count — done synchronously, from the Node request listener.

/** What the fast paths need from the server's context. */
export type FastPathServices = HttpConfig | Lifecycle | ClientRateLimiter | TicketCodes | TicketInventory

/** A request a fast path took. */
export interface FastRequest {
  readonly method: string
  readonly route: string
  readonly requestId: string
  readonly started: number
  /** Set once it is answered: a request is answered and counted once. */
  answered: boolean
}

/** A reply, as a fast path writes it. */
export interface FastReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** Answers the request and returns true, or returns false and leaves it alone. */
export type FastAnswer = (request: IncomingMessage, response: ServerResponse) => boolean

/** What every fast path shares. */
export interface FastKit {
  readonly config: HttpConfigShape
  /** The server's context, with the domain ports. */
  readonly context: Context.Context<FastPathServices>
  /** Whether a fast path may answer at all: the rate limit, if on, can be checked synchronously. */
  readonly usable: boolean
  /** Takes a token for the client on `route`; false when limited (the full stack then answers 429). */
  readonly allowed: (request: IncomingMessage, route: string) => boolean
  /** Counts the request in flight and gives it its id. */
  readonly begin: (request: IncomingMessage, route: string) => FastRequest
  /** Writes the reply with the common headers, then records it as the edge does. */
  readonly reply: (response: ServerResponse, request: FastRequest, reply: FastReply) => void
  /** A fast path threw (a defect): logs it and answers 500, as the edge does for the full stack. */
  readonly defect: (response: ServerResponse, request: FastRequest, error: unknown) => void
}

/** A reply the full stack's helpers built, as a fast path writes it. */
export const asFastReply = (response: HttpServerResponse.HttpServerResponse): FastReply => {
  const body = response.body
  const headers: Record<string, string> = { ...response.headers }
  if (body._tag === "Uint8Array") {
    headers["content-type"] = body.contentType
    return { status: response.status, headers, body: body.text ?? body.body }
  }
  return { status: response.status, headers: { ...headers, "content-type": "application/json" }, body: "" }
}

const INTERNAL_ERROR: FastReply = {
  status: internalErrorResponse.status,
  headers: {},
  body: internalErrorResponse.body._tag === "Uint8Array" ? internalErrorResponse.body.body : ""
}

/** The kit, built once per server. */
export const makeFastKit = Effect.gen(function*() {
  const config = yield* HttpConfig
  const lifecycle = yield* Lifecycle
  const limiter = yield* ClientRateLimiter
  const context = yield* Effect.context<FastPathServices>()
  const runSync = Effect.runSyncExitWith(context)
  // A limiter whose buckets are in memory answers synchronously; behind trusted proxies the
  // client is in X-Forwarded-For, which only the full stack reads.
  const limits = config.rateLimit.enabled
  const usable = !limits || (Option.isNone(config.redisUrl) && config.trustedProxies.length === 0)
  const logsRequests = !LogLevel.isGreaterThan(yield* References.MinimumLogLevel, "Info")

  const reply = (response: ServerResponse, request: FastRequest, out: FastReply) => {
    if (request.answered) return
    request.answered = true
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": typeof out.body === "string" ? Buffer.byteLength(out.body) : out.body.length,
      ...out.headers,
      ...commonHeaders(request.requestId)
    }
    if (headers["cache-control"] === undefined) headers["cache-control"] = NO_STORE
    // While draining, each reply closes its connection so that shutdown is not held up.
    if (lifecycle.isDraining()) headers.connection = "close"
    const seconds = (performance.now() - request.started) / 1000
    try {
      if (!response.destroyed && !response.headersSent) response.writeHead(out.status, headers).end(out.body)
    } finally {
      // In flight: this request included, as the edge counts.
      recordRequestUnsafe(request.method, request.route, out.status, seconds, lifecycle.inFlight(), context)
      lifecycle.requestFinished()
    }
    if (logsRequests) {
      runSync(Effect.logInfo("request").pipe(Effect.annotateLogs({
        request_id: request.requestId,
        method: request.method,
        route: request.route,
        status: out.status,
        duration_ms: Math.round(seconds * 10_000) / 10,
        user_id: null
      })))
    }
  }

  return {
    config,
    context,
    usable,
    allowed: (request, route) => {
      if (!limits) return true
      const address = request.socket.remoteAddress
      const exit = runSync(limiter.check(address === undefined ? "unknown" : clientKey(address), route))
      return Exit.isSuccess(exit) && Option.isNone(exit.value)
    },
    begin: (request, route) => {
      lifecycle.requestStarted()
      const incomingId = request.headers["x-request-id"]
      return {
        method: request.method ?? "GET",
        route,
        requestId: requestIdFor(typeof incomingId === "string" ? incomingId : undefined),
        started: performance.now(),
        answered: false
      }
    },
    reply,
    defect: (response, request, error) => {
      runSync(Effect.logError("unexpected failure while handling the request", Cause.die(error)).pipe(
        Effect.annotateLogs({ request_id: request.requestId })
      ))
      if (!request.answered) {
        try {
          return reply(response, request, INTERNAL_ERROR)
        } catch {
          // Even the 500 could not be written: closing the connection is all that is left.
        }
      }
      // Answered and counted already, and writing the reply is what failed: nothing sensible can
      // follow on this connection.
      response.destroy()
    }
  } satisfies FastKit
})
