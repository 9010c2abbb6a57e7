import type { HttpServerRequest } from "effect/http"

// CORS for the origins in CORS_TRUSTED_ORIGINS only: a trusted origin gets the headers and
// preflight replies; any other origin gets none, so browsers keep it out.

const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id"
const EXPOSED_HEADERS = "Location, Retry-After, X-Request-Id, Idempotent-Replayed"
const PREFLIGHT_MAX_AGE = "600"

/** Headers for an actual (non-preflight) cross-origin request, or undefined. */
export const corsHeaders = (
  request: HttpServerRequest.HttpServerRequest,
  trusted: ReadonlyArray<string>
): Record<string, string> | undefined => {
  const origin = request.headers.origin
  if (origin === undefined || !trusted.includes(origin)) return undefined
  return { "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSED_HEADERS, vary: "Origin" }
}

/** Whether this is a CORS preflight (an OPTIONS request announcing the method it will use). */
export const isPreflight = (request: HttpServerRequest.HttpServerRequest): boolean =>
  request.method === "OPTIONS" && request.headers.origin !== undefined &&
  request.headers["access-control-request-method"] !== undefined

/** Headers of a preflight reply from a trusted origin, for a path allowing `allow`. */
export const preflightHeaders = (origin: string, allow: string): Record<string, string> => ({
  "access-control-allow-origin": origin,
  "access-control-allow-methods": allow,
  "access-control-allow-headers": ALLOWED_HEADERS,
  "access-control-max-age": PREFLIGHT_MAX_AGE,
  vary: "Origin"
})
