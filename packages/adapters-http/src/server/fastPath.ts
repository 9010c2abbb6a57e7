import { type Context, Effect, Exit, Layer, LogLevel, Option, References } from "effect"
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http"
import type { TicketCodes, TicketInventory } from "@ticketmania/domain"
import { HttpConfig, type HttpConfigShape } from "../config/HttpConfig.ts"
import { clientKey } from "../http/clientKey.ts"
import { commonHeaders, NO_STORE } from "../http/edge.ts"
import { ClientRateLimiter } from "../http/rateLimit.ts"
import { ReplyMemo } from "../http/replyMemo.ts"
import { requestIdFor } from "../http/RequestState.ts"
import { recordRequestUnsafe } from "../observability/metrics.ts"
import { makeFastPurchases } from "./fastPurchases.ts"
import { makeFastReads } from "./fastReads.ts"
import { Lifecycle } from "./Lifecycle.ts"

// The fast paths: the hottest requests, answered from the Node request listener without a fiber
// per request, the router or the middleware (which cost several times what Node itself spends on
// such a request). Each path takes only requests it can answer exactly as the full stack would,
// and does for them what the edge middleware does for every request: the same rate-limit buckets,
// request id, common headers, metrics and access line, and the in-flight count that shutdown
// waits for. Everything else goes to the full stack: credentials, CORS, draining, a limiter that
// needs I/O (Redis) or forwarded client addresses, and whatever a path declines.

/** What every fast path shares. */
export interface FastKit {
  readonly config: HttpConfigShape
  readonly lifecycle: Lifecycle["Service"]
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
}

/** A request a fast path took. */
export interface FastRequest {
  readonly method: string
  readonly route: string
  readonly requestId: string
  readonly started: number
}

/** A reply, as a fast path writes it. */
export interface FastReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** Answers the request and returns true, or returns false and leaves it alone. */
export type FastAnswer = (request: IncomingMessage, response: ServerResponse) => boolean

/** What the fast paths need from the server's context. */
export type FastPathServices = HttpConfig | Lifecycle | ClientRateLimiter | TicketCodes | TicketInventory

/**
 * Puts the fast paths in front of the request listener the serving layer installed on `server`,
 * and takes them away when the layer's scope closes (before the server drains), so that the
 * serving layer finds its own listener to remove.
 */
export const fastPath = (server: Server): Layer.Layer<never, never, FastPathServices> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const config = yield* HttpConfig
    const lifecycle = yield* Lifecycle
    const limiter = yield* ClientRateLimiter
    const context = yield* Effect.context<FastPathServices>()
    const listeners = server.listeners("request")
    const first = listeners[0]
    if (listeners.length !== 1 || typeof first !== "function") return
    // The one listener is the serving layer's: a (request, response) handler.
    const full = first as RequestListener

    const runSync = Effect.runSyncExitWith(context)
    // A limiter whose buckets are in memory answers synchronously; behind trusted proxies the
    // client is in X-Forwarded-For, which only the full stack reads.
    const limits = config.rateLimit.enabled
    const usable = !limits || (Option.isNone(config.redisUrl) && config.trustedProxies.length === 0)
    const logsRequests = !LogLevel.isGreaterThan(yield* References.MinimumLogLevel, "Info")

    const kit: FastKit = {
      config,
      lifecycle,
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
          started: performance.now()
        }
      },
      reply: (response, request, reply) => {
        const headers: Record<string, string | number> = {
          "content-type": "application/json",
          "content-length": typeof reply.body === "string" ? Buffer.byteLength(reply.body) : reply.body.length,
          ...reply.headers,
          ...commonHeaders(request.requestId)
        }
        if (headers["cache-control"] === undefined) headers["cache-control"] = NO_STORE
        // While draining, each reply closes its connection so that shutdown is not held up.
        if (lifecycle.isDraining()) headers.connection = "close"
        if (!response.destroyed) response.writeHead(reply.status, headers).end(reply.body)
        const seconds = (performance.now() - request.started) / 1000
        // In flight: this request included, as the edge counts.
        recordRequestUnsafe(request.method, request.route, reply.status, seconds, lifecycle.inFlight(), context)
        lifecycle.requestFinished()
        if (logsRequests) {
          runSync(Effect.logInfo("request").pipe(Effect.annotateLogs({
            request_id: request.requestId,
            method: request.method,
            route: request.route,
            status: reply.status,
            duration_ms: Math.round(seconds * 10_000) / 10,
            user_id: null
          })))
        }
      }
    }
    const memo = yield* ReplyMemo
    const answers: ReadonlyArray<FastAnswer> = [...(memo === undefined ? [] : [makeFastReads(kit, memo)]), makeFastPurchases(kit)]

    const listener: RequestListener = (request, response) => {
      if (!usable || lifecycle.isDraining()) return full(request, response)
      for (const answer of answers) {
        if (answer(request, response)) return
      }
      full(request, response)
    }
    server.off("request", full)
    server.on("request", listener)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        server.off("request", listener)
        server.on("request", full)
      })
    )
  }))
