import { BadRequest, InternalError, PayloadTooLarge, RateLimited, UnsupportedMediaType } from "./errors.ts"

// Failures every route can answer with, listed on each endpoint so the OpenAPI document shows
// them; the edge middleware (`http/edge.ts`) produces them before or after the handler runs.

/** Rate limiting and unexpected failures: possible on every route. */
export const everyRoute = [RateLimited, InternalError] as const

/** Problems reading a JSON body: possible on every route that takes one. */
export const bodyErrors = [BadRequest, PayloadTooLarge, UnsupportedMediaType] as const
