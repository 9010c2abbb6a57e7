import { HttpServerResponse } from "effect/http"
import { type ApiError, envelopeOf, InternalError, statusOf } from "../api/errors.ts"

/** The reply for an API error: its status and the contract's JSON envelope. */
export const errorResponse = (error: ApiError, headers?: Record<string, string>): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(JSON.stringify(envelopeOf(error)), {
    status: statusOf(error),
    contentType: "application/json",
    ...(headers === undefined ? {} : { headers })
  })

/** The reply for anything unexpected: deliberately says nothing about what went wrong. */
export const internalErrorResponse = errorResponse(
  new InternalError({ error: "the server encountered a problem and could not process your request", code: "internal_error" })
)
