import { Effect, Exit, Layer, LogLevel, Option, References } from "effect"
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http"
import { HttpConfig } from "../config/HttpConfig.ts"
import { clientKey } from "../http/clientKey.ts"
import { commonHeaders, NO_STORE } from "../http/edge.ts"
import { ClientRateLimiter } from "../http/rateLimit.ts"
import { ReplyMemo } from "../http/replyMemo.ts"
import { requestIdFor } from "../http/RequestState.ts"
import { matchRoute } from "../http/routes.ts"
import { recordRequestUnsafe } from "../observability/metrics.ts"
import { Lifecycle } from "./Lifecycle.ts"

// The fast path for the hottest reads. An anonymous `GET` whose reply the memo still knows
// (`http/replyMemo.ts`: the same event objects as when the full stack answered it) is written
// straight from the Node request listener, without a fiber, the router or the middleware: those
// cost about four times what Node itself spends on such a request. Everything the full stack does
// for it is done here too, in the same way: rate limit (same buckets), request id, headers,
// metrics and access line. Whatever this path cannot do alike goes to the full stack: other
// methods, credentials, CORS, a request body, draining, a limiter that needs I/O (Redis) or
// forwarded client addresses, and of course any reply the memo does not know.

/** The headers the full stack gives a remembered read's reply. */
const headersFor = (requestId: string, length: number) => ({
  "content-type": "application/json",
  "content-length": length,
  ...commonHeaders(requestId),
  "cache-control": NO_STORE
})

const mayBeFast = (request: IncomingMessage): boolean => {
  const headers = request.headers
  return request.method === "GET" && headers.authorization === undefined && headers.origin === undefined &&
    (headers["content-length"] === undefined || headers["content-length"] === "0") &&
    headers["transfer-encoding"] === undefined
}

/**
 * Puts the fast path in front of the request listener the serving layer installed on `server`,
 * and takes it away when the layer's scope closes (before the server drains), so that the serving
 * layer finds its own listener to remove.
 */
export const fastReads = (server: Server): Layer.Layer<never, never, HttpConfig | Lifecycle | ClientRateLimiter> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const config = yield* HttpConfig
    const lifecycle = yield* Lifecycle
    const limiter = yield* ClientRateLimiter
    const context = yield* Effect.context<never>()
    const memo = yield* ReplyMemo
    const listeners = server.listeners("request")
    const first = listeners[0]
    if (memo === undefined || listeners.length !== 1 || typeof first !== "function") return
    // The one listener is the serving layer's: a (request, response) handler.
    const full = first as RequestListener

    const runSync = Effect.runSyncExitWith(context)
    // A limiter whose buckets are in memory answers synchronously; behind trusted proxies the
    // client is in X-Forwarded-For, which only the full stack reads.
    const limits = config.rateLimit.enabled
    const limitable = !limits || (Option.isNone(config.redisUrl) && config.trustedProxies.length === 0)
    const logsRequests = !LogLevel.isGreaterThan(yield* References.MinimumLogLevel, "Info")

    const allowed = (request: IncomingMessage, route: string): boolean => {
      if (!limits) return true
      const address = request.socket.remoteAddress
      const exit = runSync(limiter.check(address === undefined ? "unknown" : clientKey(address), route))
      return Exit.isSuccess(exit) && Option.isNone(exit.value)
    }

    const answer = (request: IncomingMessage, response: ServerResponse): boolean => {
      if (!limitable || !mayBeFast(request) || lifecycle.isDraining()) return false
      const url = request.url ?? ""
      const body = memo.recall(url)
      if (body === undefined) return false
      const route = matchRoute(url)?.pattern ?? "unmatched"
      // Limited: the full stack checks again (a refused check takes no token) and answers 429.
      if (!allowed(request, route)) return false
      const started = performance.now()
      lifecycle.requestStarted()
      const incomingId = request.headers["x-request-id"]
      const requestId = requestIdFor(typeof incomingId === "string" ? incomingId : undefined)
      response.writeHead(200, headersFor(requestId, body.length)).end(body)
      lifecycle.requestFinished()
      const seconds = (performance.now() - started) / 1000
      recordRequestUnsafe("GET", route, 200, seconds, lifecycle.inFlight(), context)
      if (logsRequests) {
        runSync(Effect.logInfo("request").pipe(Effect.annotateLogs({
          request_id: requestId,
          method: "GET",
          route,
          status: 200,
          duration_ms: Math.round(seconds * 10_000) / 10,
          user_id: null
        })))
      }
      return true
    }

    const listener: RequestListener = (request, response) => {
      if (!answer(request, response)) full(request, response)
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
