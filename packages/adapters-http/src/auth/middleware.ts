import { Context, Effect, Layer, Option } from "effect"
import { HttpEffect, HttpServerRequest, HttpServerResponse } from "effect/http"
import { HttpApiMiddleware } from "effect/http-api"
import { findUserByEmail, issueToValidationFailed, type UserRepository } from "@ticketmania/domain"
import { BadRequest, NotFound, Unauthorized, ValidationError } from "../api/errors.ts"
import { Authentication, CurrentUser, RequestErrors, RequireUser, Viewer } from "../api/middleware.ts"
import type { AuthenticatedUser } from "../api/middleware.ts"
import { RequestState } from "../http/RequestState.ts"
import { Jwt } from "./Jwt.ts"

/** Adds a `WWW-Authenticate` challenge to the 401 this request ends with (RFC 6750 §3). */
const challenge = (value: string) =>
  HttpEffect.appendPreResponseHandler((_request, response) =>
    Effect.succeed(response.status === 401 ? HttpServerResponse.setHeader(response, "www-authenticate", value) : response)
  )

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Verifies a bearer token whenever an `Authorization` header is present, on every route. A token
 * is valid only while its user exists with the id and email it names: a token signed before the
 * database was restored or reset (same secret) would otherwise make the service write rows for a
 * user that does not exist (a 500, found by the system tests) or act as whoever got that id since.
 */
export const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.gen(function*() {
    const jwt = yield* Jwt
    const users = yield* Effect.context<UserRepository>()
    const exists = (user: { readonly id: number; readonly email: string }) =>
      findUserByEmail(user.email).pipe(
        Effect.map((found) => found.id === user.id),
        Effect.catchTag("ValidationFailed", () => Effect.succeed(false)),
        Effect.provide(users)
      )
    const invalid = Effect.andThen(
      challenge('Bearer error="invalid_token"'),
      Effect.fail(new Unauthorized({ error: "the bearer token is malformed, invalid or expired", code: "invalid_token" }))
    )
    const withToken = <A, E, R>(httpEffect: Effect.Effect<A, E, R>, header: string) =>
      Effect.gen(function*() {
        const token = BEARER.exec(header)?.[1]
        if (token === undefined) return yield* invalid
        const user = yield* Effect.option(jwt.verify(token))
        if (Option.isNone(user) || !(yield* exists(user.value))) return yield* invalid
        const state = yield* Effect.serviceOption(RequestState)
        if (Option.isSome(state)) state.value.userId = String(user.value.id)
        return yield* Effect.provideService(httpEffect, Viewer, user)
      })
    const anonymous = Option.none<AuthenticatedUser>()
    return (httpEffect) =>
      Effect.withFiber((fiber) => {
        const header = Context.getUnsafe(fiber.context, HttpServerRequest.HttpServerRequest).headers.authorization
        // Most requests (reads, guest purchases) carry no token: they skip the generator.
        return header === undefined ? Effect.provideService(httpEffect, Viewer, anonymous) : withToken(httpEffect, header)
      })
  })
)

/** Lets only signed-in callers through to protected routes. */
export const RequireUserLive = Layer.succeed(RequireUser, {
  bearer: (httpEffect) =>
    Effect.gen(function*() {
      const viewer = yield* Viewer
      if (Option.isNone(viewer)) {
        yield* challenge('Bearer realm="ticketmania"')
        return yield* new Unauthorized({ error: "this route needs a bearer token (log in first)", code: "authentication_required" })
      }
      return yield* Effect.provideService(httpEffect, CurrentUser, viewer.value)
    })
})

/** Turns HttpApi's schema rejections into the contract's replies (see `RequestErrors`). */
export const RequestErrorsLive = HttpApiMiddleware.layerSchemaErrorTransform(RequestErrors, (error) => {
  switch (error.kind) {
    case "Query": {
      // Every query parameter is declared as one optional string: the only way to fail is to
      // repeat it (`?page=1&page=2`).
      const fields = Object.keys(issueToValidationFailed(error.cause.issue).fields)
      return Effect.fail(ValidationError.fromFields(Object.fromEntries(fields.map((f) => [f, "must be given at most once"]))))
    }
    case "Params":
      return Effect.fail(NotFound.fromMessage("the requested resource could not be found"))
    case "Headers":
    case "Payload":
      return Effect.fail(BadRequest.fromMessage(`invalid request ${error.kind.toLowerCase()}: ${error.cause.message}`))
    default:
      // The reply failed our own schema: a bug, reported as a 500 by the edge.
      return Effect.die(error)
  }
})
