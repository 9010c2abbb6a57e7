/**
 * @ticketmania/adapters-http — the TicketMania REST API (contract v1) on Effect HttpApi and
 * Node: the API definition (and its OpenAPI document), the handlers over the domain use cases,
 * JWT authentication, and the layers a composition root needs to serve it.
 *
 * A composition root (`ticketmania serve`) provides the domain ports and runs the server:
 *
 *   Layer.launch(HttpServerLive.pipe(
 *     Layer.provide(DomainPortsLive),          // repositories, inventory, hasher, codes
 *     Layer.provide(Layer.succeed(ReadinessCheck, { check: databaseAnswers })),
 *     Layer.provide(HttpConfig.layer),
 *     Layer.provide(layerDotEnv),               // optional: read .env
 *     Layer.provide(NodeServices.layer)
 *   )).pipe(NodeRuntime.runMain({ teardown: gracefulTeardown }))
 */

// The contract
export { Api } from "./api/Api.ts"
export * from "./api/errors.ts"
export { Authentication, type AuthenticatedUser, CurrentUser, RequestErrors, RequireUser, Viewer } from "./api/middleware.ts"
export * from "./api/schemas.ts"
// Domain models in the wire shapes (the CLI's --json output uses them too)
export { eventJson, pageJson, purchaseJson, timestamp, userJson } from "./handlers/wire.ts"

// Serving
export { HttpAppLive } from "./HttpAppLive.ts"
export { HttpServerLive, NODE_TIMEOUTS } from "./server/HttpServerLive.ts"
export { Lifecycle } from "./server/Lifecycle.ts"
export { ReadinessCheck } from "./server/ReadinessCheck.ts"
export { announceStopped, drainOnShutdown, gracefulTeardown } from "./server/shutdown.ts"
export { ClientRateLimiter, RateLimiterLive } from "./http/rateLimit.ts"

// Configuration
export { HttpConfig, type HttpConfigShape } from "./config/HttpConfig.ts"
export { ConfigInvalid, MIN_SECRET_BYTES } from "./config/jwtSecret.ts"
export { layerDotEnv } from "./config/dotEnv.ts"

// Authentication
export { type IssuedToken, Jwt, JWT_AUDIENCE, JWT_ISSUER, makeJwt, TokenInvalid } from "./auth/Jwt.ts"

// Observability
export { jsonLogger, LoggerLive, makeJsonLogger } from "./observability/logger.ts"
export { DbPoolStats, type DbPoolUsage } from "./observability/metrics.ts"
export { redactText, redactValue } from "./observability/redact.ts"
