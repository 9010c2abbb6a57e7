import { Layer } from "effect"
import { HttpApiBuilder, HttpApiScalar } from "effect/http-api"
import { Api } from "./api/Api.ts"
import { Jwt } from "./auth/Jwt.ts"
import { AuthenticationLive, RequestErrorsLive, RequireUserLive } from "./auth/middleware.ts"
import { AccountsHandlers } from "./handlers/accounts.ts"
import { EventsHandlers } from "./handlers/events.ts"
import { OrdersHandlers } from "./handlers/orders.ts"
import { SystemHandlers } from "./handlers/system.ts"
import { EdgeMiddleware } from "./http/edge.ts"
import { ClientRateLimiter } from "./http/rateLimit.ts"
import { DOCS_ROUTES } from "./http/routes.ts"

/**
 * Every route of the API with its handlers, `/openapi.json`, `/docs`, and the edge middleware,
 * registered on the `HttpRouter`. Needs `HttpConfig`, `Lifecycle`, a `RateLimiter` and the domain
 * ports. Serve it with `HttpServerLive`, or in process with `HttpRouter.toWebHandler`.
 */
export const HttpAppLive = Layer.mergeAll(
  HttpApiBuilder.layer(Api, { openapiPath: DOCS_ROUTES.openapi }),
  HttpApiScalar.layer(Api, { path: DOCS_ROUTES.docs, scalar: { layout: "modern" } }),
  EdgeMiddleware
).pipe(
  Layer.provide([AccountsHandlers, EventsHandlers, OrdersHandlers, SystemHandlers]),
  Layer.provide([AuthenticationLive, RequireUserLive, RequestErrorsLive]),
  Layer.provide([Jwt.layer, ClientRateLimiter.layer])
)
