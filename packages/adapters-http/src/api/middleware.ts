import { Context, type Option } from "effect"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"
import type { UserId } from "@ticketmania/domain"
import { BadRequest, NotFound, Unauthorized, ValidationError } from "./errors.ts"

/** Who a valid bearer token says the caller is. */
export interface AuthenticatedUser {
  readonly id: UserId
  readonly email: string
}

/** The caller of the current request: a user, or none for an anonymous request. */
export class Viewer extends Context.Service<Viewer, Option.Option<AuthenticatedUser>>()(
  "@ticketmania/adapters-http/Viewer"
) {}

/** The signed-in caller of a protected route. */
export class CurrentUser extends Context.Service<CurrentUser, AuthenticatedUser>()(
  "@ticketmania/adapters-http/CurrentUser"
) {}

/**
 * Runs on every route: verifies the bearer token when an `Authorization` header is present
 * (answering 401 `invalid_token` when it is bad) and provides the `Viewer`.
 */
export class Authentication extends HttpApiMiddleware.Service<Authentication, { provides: Viewer }>()(
  "@ticketmania/adapters-http/Authentication",
  { error: Unauthorized }
) {}

/** Guards protected routes: 401 `authentication_required` for anonymous callers. */
export class RequireUser extends HttpApiMiddleware.Service<RequireUser, {
  provides: CurrentUser
  requires: Viewer
}>()("@ticketmania/adapters-http/RequireUser", {
  error: Unauthorized,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

/**
 * Replaces HttpApi's empty 400 for requests its schemas reject with the contract's replies:
 * query parameters → 422 naming each, path parameters → 404, headers → 400.
 */
export class RequestErrors extends HttpApiMiddleware.Service<RequestErrors>()(
  "@ticketmania/adapters-http/RequestErrors",
  { error: [BadRequest, NotFound, ValidationError] }
) {}
