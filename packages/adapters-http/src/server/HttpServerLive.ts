import { Effect, Layer } from "effect"
import { HttpRouter } from "effect/http"
import { NodeHttpServer } from "@effect/platform-node"
import { createServer } from "node:http"
import { HttpConfig } from "../config/HttpConfig.ts"
import { HashAdmission, makeHashAdmission } from "../handlers/admission.ts"
import { HttpAppLive } from "../HttpAppLive.ts"
import { ClientRateLimiter, RateLimiterLive } from "../http/rateLimit.ts"
import { makeReplyMemo, ReplyMemo } from "../http/replyMemo.ts"
import { LoggerLive } from "../observability/logger.ts"
import { answerClientErrors } from "./clientErrors.ts"
import { fastPath } from "./fastPath.ts"
import { Lifecycle } from "./Lifecycle.ts"
import { announceStopped, drainOnShutdown } from "./shutdown.ts"

/** Node's own limits: request headers within 10 s, the whole request within 30 s, idle keep-alive 60 s. */
export const NODE_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 60_000 } as const

/**
 * Connections the kernel may hold for the server before it accepts them (capped by the kernel,
 * `net.core.somaxconn` on Linux, 4096 by default). Node's default of 511 is less than the opening
 * of a flash sale: a thousand buyers connecting in the same instant overflowed it, and every
 * connection past it waited for the kernel's one-second retransmission — measured, the slowest
 * 1–2% of the purchases of a 1,000-buyer run were their first, taking 1.0–1.5 s.
 */
export const LISTEN_BACKLOG = 4096

/**
 * The HTTP server: `HttpAppLive` on a Node `http.Server` at `PORT`/`HOST`, with the JSON logger,
 * rate limiter (memory or Redis), the fast paths for remembered reads, guest purchases and
 * refused logins (`fastPath.ts`) and graceful shutdown. Provides the `HttpServer` (its bound
 * address); needs `HttpConfig` and the domain ports. The composition root adds `ReadinessCheck`
 * and `DbPoolStats` when it has a database.
 */
export const HttpServerLive = Layer.unwrap(Effect.gen(function*() {
  const config = yield* HttpConfig
  // Node checks the header and request timeouts every `connectionsCheckingInterval` (30 s by
  // default, which would let a slow client hold a connection for up to 40 s).
  const server = createServer({ ...NODE_TIMEOUTS, connectionsCheckingInterval: 1000 })
  Object.assign(server, NODE_TIMEOUTS)
  answerClientErrors(server)
  return Layer.mergeAll(drainOnShutdown(server), fastPath(server).pipe(Layer.provide(ClientRateLimiter.layer))).pipe(
    Layer.provide(HttpRouter.serve(HttpAppLive, { disableLogger: true, disableListenLog: true })),
    Layer.provide(announceStopped),
    // Exposed so that the composition root (and tests) can read the bound address.
    Layer.provideMerge(NodeHttpServer.layerServer(() => server, {
      port: config.port,
      backlog: LISTEN_BACKLOG,
      ...(config.host === undefined ? {} : { host: config.host }),
      gracefulShutdownTimeout: config.shutdownTimeout
    })),
    Layer.provide(NodeHttpServer.layerHttpServices)
  )
})).pipe(
  // Shared by the edge middleware, `/readyz`, the drain and the fast paths: built outside `serve`,
  // whose own layers are private to it.
  Layer.provide([
    Lifecycle.layer,
    RateLimiterLive,
    Layer.sync(ReplyMemo, makeReplyMemo),
    Layer.effect(HashAdmission, Effect.flatMap(HttpConfig, (config) => makeHashAdmission(config.hashing)))
  ]),
  Layer.provide(LoggerLive)
)
