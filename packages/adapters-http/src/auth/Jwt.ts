import { Clock, Context, DateTime, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import { errors as joseErrors, jwtVerify, SignJWT } from "jose"
import { type User, UserId } from "@ticketmania/domain"
import type { AuthenticatedUser } from "../api/middleware.ts"
import { HttpConfig } from "../config/HttpConfig.ts"

/** Who issues the tokens and who they are for; checked on every verification. */
export const JWT_ISSUER = "ticketmania"
export const JWT_AUDIENCE = "ticketmania-api"

/** A token that is malformed, forged, expired, not yet valid, or meant for someone else. */
export class TokenInvalid extends Schema.TaggedError<TokenInvalid>()("TokenInvalid", {
  reason: Schema.String
}) {}

/** A freshly issued access token. */
export interface IssuedToken {
  readonly token: string
  readonly expiresAt: DateTime.Utc
}

/**
 * Issues and verifies the API's bearer tokens: HS256 JWTs (jose) with `sub` (user id), `email`,
 * `iss`, `aud`, `iat`, `nbf`, `exp` and `jti`. Verification pins the algorithm and requires
 * `exp`, issuer and audience. Time comes from Effect's `Clock`, so tests can move it.
 */
export class Jwt extends Context.Service<Jwt, {
  issue(user: Pick<User, "id" | "email">): Effect.Effect<IssuedToken>
  verify(token: string): Effect.Effect<AuthenticatedUser, TokenInvalid>
}>()("@ticketmania/adapters-http/Jwt") {
  /** Uses the secret and token lifetime of `HttpConfig`. */
  static readonly layer: Layer.Layer<Jwt, never, HttpConfig> = Layer.effect(
    Jwt,
    HttpConfig.useSync((config) => makeJwt(config.jwtSecret, config.jwtTtl))
  )
}

const decodeUserId = Schema.decodeUnknownOption(UserId)

/** A `Jwt` over a given secret (at least 32 bytes; `HttpConfig` checks) and lifetime. */
export const makeJwt = (secret: Redacted.Redacted<Uint8Array>, ttl: Duration.Duration) => {
  const key = Redacted.value(secret)
  return Jwt.of({
    issue: Effect.fn("Jwt.issue")(function*(user) {
      const now = yield* Clock.currentTimeMillis
      const issuedAt = Math.floor(now / 1000)
      const expiresAt = issuedAt + Math.floor(Duration.toSeconds(ttl))
      const token = yield* Effect.promise(() =>
        new SignJWT({ email: user.email })
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .setSubject(String(user.id))
          .setIssuer(JWT_ISSUER)
          .setAudience(JWT_AUDIENCE)
          .setIssuedAt(issuedAt)
          .setNotBefore(issuedAt)
          .setExpirationTime(expiresAt)
          .setJti(crypto.randomUUID())
          .sign(key)
      )
      return { token, expiresAt: DateTime.makeUnsafe(expiresAt * 1000) }
    }),
    verify: Effect.fn("Jwt.verify")(function*(token) {
      const now = yield* Clock.currentTimeMillis
      const { payload } = yield* Effect.tryPromise({
        try: () =>
          jwtVerify(token, key, {
            algorithms: ["HS256"],
            issuer: JWT_ISSUER,
            audience: JWT_AUDIENCE,
            typ: "JWT",
            requiredClaims: ["exp", "iat", "nbf", "sub", "jti"],
            currentDate: new Date(now),
            // Small allowance for clocks of several instances that disagree a little.
            clockTolerance: 5
          }),
        catch: (error) =>
          new TokenInvalid({ reason: error instanceof joseErrors.JOSEError ? error.code : "unverifiable token" })
      })
      const id = decodeUserId(Number(payload.sub))
      if (Option.isNone(id) || String(id.value) !== payload.sub) return yield* new TokenInvalid({ reason: "bad subject" })
      const email = typeof payload.email === "string" ? payload.email : ""
      return { id: id.value, email }
    })
  })
}
