import { Cause, Context, Effect, identity, LogLevel, Option, References, type Types } from "effect"
import { HttpMiddleware, HttpRouter, HttpServerError, HttpServerRequest, HttpServerResponse } from "effect/http"
import { MethodNotAllowed, NotFound, PayloadTooLarge, BadRequest, RateLimited, Unavailable } from "../api/errors.ts"
import { HttpConfig } from "../config/HttpConfig.ts"
import { recordRequestUnsafe } from "../observability/metrics.ts"
import { Lifecycle } from "../server/Lifecycle.ts"
import { clientKey } from "./clientKey.ts"
import { corsHeaders, isPreflight, preflightHeaders } from "./cors.ts"
import { databaseUnavailable, isTransientDatabaseFailure } from "./databaseFailure.ts"
import { errorResponse, internalErrorResponse } from "./errorResponse.ts"
import { ClientRateLimiter } from "./rateLimit.ts"
import { requestIdFor, RequestState } from "./RequestState.ts"
import { matchRoute } from "./routes.ts"

// The edge: one global middleware around every request, routed or not. It gives each request an
// id, answers CORS preflights, applies rate limits and the request deadline, turns every failure
// (unknown route, wrong method, unreadable body, defect) into the contract's JSON error, adds the
// common headers, and writes the access log line and the request metrics. It replaces HttpApi's
// built-in logger, which is disabled when serving.

/** Headers of every reply (the fast path for remembered reads writes them too). */
export const commonHeaders = (requestId: string): Record<string, string> => ({
  "x-request-id": requestId,
  "x-content-type-options": "nosniff"
})

/** `Cache-Control` of every reply that sets none: API data is not to be stored by caches. */
export const NO_STORE = "no-store"

type Route = ReturnType<typeof matchRoute>

const notFound = () => errorResponse(NotFound.fromMessage("the requested resource could not be found"))

const methodNotAllowed = (method: string, allow: string) =>
  errorResponse(
    new MethodNotAllowed({ error: `the ${method} method is not supported for this resource`, code: "method_not_allowed" }),
    { allow }
  )

/** The reply to a request that took longer than `HttpConfig.requestTimeout`. */
export const timedOutResponse = (): HttpServerResponse.HttpServerResponse =>
  errorResponse(new Unavailable({ error: "the request took too long to process", code: "unavailable" }))

/** The reply for a request that failed or died instead of producing a response. */
export const replyForCause = (cause: Cause.Cause<unknown>, method: string, route: Route) => {
  const failure = cause.reasons.find(Cause.isFailReason)?.error
  if (HttpServerError.isHttpServerError(failure)) {
    const reason = failure.reason
    if (reason._tag === "RouteNotFound") return Effect.succeed(route === undefined ? notFound() : methodNotAllowed(method, route.allow))
    if (reason._tag === "RequestParseError") {
      return Effect.succeed(errorResponse(
        reason.reason === "BodyTooLarge"
          ? new PayloadTooLarge({ error: "the request body is too large", code: "payload_too_large" })
          : BadRequest.fromMessage("the request could not be read")
      ))
    }
  }
  const defect = cause.reasons.find(Cause.isDieReason)?.defect
  if (HttpServerResponse.isHttpServerResponse(defect)) return Effect.succeed(defect)
  // Anywhere in the cause: a refused sale whose ROLLBACK then met a dead connection holds both.
  const database = cause.reasons.map((reason) => Cause.isDieReason(reason) ? reason.defect : undefined)
    .find(isTransientDatabaseFailure)
  if (database !== undefined) {
    return Effect.as(
      Effect.logWarning("database unavailable; answered 503").pipe(
        Effect.annotateLogs({ reason: database.reason._tag, detail: database.reason.message ?? database.message })
      ),
      databaseUnavailable()
    )
  }
  if (failure === undefined && defect === undefined) {
    // Interrupted: the client went away (the reply is never written), or the server is stopping.
    return Effect.succeed(errorResponse(new Unavailable({ error: "the request was interrupted", code: "unavailable" })))
  }
  return Effect.as(Effect.logError("unexpected failure while handling the request", cause), internalErrorResponse)
}

/** The global middleware; provide its layer with the routes. */
export const EdgeMiddleware = HttpRouter.middleware(
  Effect.gen(function*() {
    const config = yield* HttpConfig
    const lifecycle = yield* Lifecycle
    const limiter = yield* ClientRateLimiter
    const timedOut = timedOutResponse()

    const handle = (
      request: HttpServerRequest.HttpServerRequest,
      route: Route,
      state: RequestState["Service"],
      httpApp: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown>
    ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
      if (request.method === "OPTIONS") {
        if (route === undefined) return Effect.succeed(notFound())
        const origin = request.headers.origin
        const trusted = origin !== undefined && config.corsOrigins.includes(origin)
        return Effect.succeed(HttpServerResponse.empty({
          status: 204,
          headers: trusted && isPreflight(request) ? preflightHeaders(origin, route.allow) : { allow: route.allow }
        }))
      }
      const answered = httpApp.pipe(
        Effect.provideService(RequestState, state),
        Effect.timeoutOrElse({ duration: config.requestTimeout, orElse: () => Effect.succeed(timedOut) }),
        Effect.catchCause((cause) => replyForCause(cause, request.method, route))
      )
      if (!config.rateLimit.enabled) return answered
      const client = Option.match(request.remoteAddress, { onNone: () => "unknown", onSome: clientKey })
      return Effect.flatMap(limiter.check(client, route?.pattern), (retryAfter) =>
        Option.isSome(retryAfter)
          ? Effect.succeed(errorResponse(
            new RateLimited({ error: "too many requests; slow down", code: "rate_limited" }),
            { "retry-after": String(retryAfter.value) }
          ))
          : answered)
    }

    // Behind trusted proxies, the client is the address they put in X-Forwarded-For.
    const forwarded = config.trustedProxies.length === 0
      ? identity
      : HttpMiddleware.xForwardedHeaders({ trustedProxies: config.trustedProxies })

    // The declared error type only satisfies the router's typing: every failure is answered here.
    return (httpApp): Effect.Effect<HttpServerResponse.HttpServerResponse, Types.unhandled, HttpServerRequest.HttpServerRequest> =>
      forwarded(Effect.withFiber((fiber) => {
        const context = fiber.context
        const request = Context.getUnsafe(context, HttpServerRequest.HttpServerRequest)
        const started = performance.now()
        const state: RequestState["Service"] = { requestId: requestIdFor(request.headers["x-request-id"]), userId: null }
        const route = matchRoute(request.url)
        const label = route?.pattern ?? "unmatched"
        lifecycle.requestStarted()
        // Headers and metrics in one synchronous step: this runs for every request.
        const finished = Effect.map(handle(request, route, state, httpApp), (response) => {
          const headers: Record<string, string> = commonHeaders(state.requestId)
          if (response.headers["cache-control"] === undefined) headers["cache-control"] = NO_STORE
          const cors = corsHeaders(request, config.corsOrigins)
          if (cors !== undefined) Object.assign(headers, cors)
          // While draining, each reply closes its connection so that shutdown is not held up.
          if (lifecycle.isDraining()) headers.connection = "close"
          recordRequestUnsafe(request.method, label, response.status, (performance.now() - started) / 1000, lifecycle.inFlight(), context)
          return HttpServerResponse.setHeaders(response, headers)
        })
        // The access line is built only when info lines are written at all.
        const logged = LogLevel.isGreaterThan(fiber.getRef(References.MinimumLogLevel), "Info")
          ? finished
          : Effect.tap(finished, (response) =>
            Effect.logInfo("request").pipe(Effect.annotateLogs({
              method: request.method,
              route: label,
              status: response.status,
              duration_ms: Math.round((performance.now() - started) * 10) / 10,
              user_id: state.userId
            })))
        return logged.pipe(
          Effect.ensuring(Effect.sync(lifecycle.requestFinished)),
          Effect.annotateLogs({ request_id: state.requestId })
        )
      }))
  }),
  { global: true }
)
