import type {
  EditConflict,
  EmailTaken,
  EventNotFound,
  Forbidden as DomainForbidden,
  IdempotencyInProgress,
  IdempotencyKeyReused,
  InvalidCredentials,
  NotOnSale,
  Overloaded,
  SoldOut,
  TicketTypeNotFound,
  ValidationFailed
} from "@ticketmania/domain"
import { withoutStackTrace } from "@ticketmania/domain"
import type { HttpServerResponse } from "effect/http"
import { Conflict, Forbidden, NotFound, Unauthorized, Unavailable, Unprocessable, ValidationError } from "../api/errors.ts"
import { errorResponse } from "../http/errorResponse.ts"

/** Every business failure a use case can end with. */
export type DomainError =
  | ValidationFailed
  | EmailTaken
  | InvalidCredentials
  | EventNotFound
  | TicketTypeNotFound
  | NotOnSale
  | SoldOut
  | IdempotencyKeyReused
  | IdempotencyInProgress
  | DomainForbidden
  | EditConflict
  | Overloaded

/** The API error each domain error becomes. */
interface ApiErrorByTag {
  readonly ValidationFailed: ValidationError
  readonly EmailTaken: Conflict
  readonly InvalidCredentials: Unauthorized
  readonly EventNotFound: NotFound
  readonly TicketTypeNotFound: NotFound
  readonly NotOnSale: Conflict
  readonly SoldOut: Conflict
  readonly IdempotencyKeyReused: Unprocessable
  readonly IdempotencyInProgress: Conflict
  readonly Forbidden: Forbidden
  readonly EditConflict: Conflict
  readonly Overloaded: Unavailable
}

/** The API errors a use case failing with `E` can answer with. */
export type ApiErrorFor<E extends DomainError> = ApiErrorByTag[E["_tag"]]

/** `toApiError`, typed by the errors the use case can actually fail with. */
export const fromDomain = <E extends DomainError>(error: E): ApiErrorFor<E> =>
  // Expected outcomes: the reply needs no stack trace, and capturing one is most of the cost.
  withoutStackTrace(() => toApiError(error)) as ApiErrorFor<E>

/**
 * The one place where business failures meet HTTP: each domain error becomes the contract's
 * status and code, with the domain's message (which never holds secrets) as the `error` text.
 */
export const toApiError = (error: DomainError): ApiErrorByTag[DomainError["_tag"]] => {
  switch (error._tag) {
    case "ValidationFailed":
      return ValidationError.fromFields(error.fields)
    case "EmailTaken":
      return new Conflict({ error: error.message, code: "email_taken" })
    case "InvalidCredentials":
      return new Unauthorized({ error: error.message, code: "invalid_credentials" })
    case "EventNotFound":
    case "TicketTypeNotFound":
      return NotFound.fromMessage(error.message)
    case "NotOnSale":
      return new Conflict({ error: error.message, code: "not_on_sale" })
    case "SoldOut":
      return new Conflict({ error: error.message, code: "sold_out" })
    case "IdempotencyKeyReused":
      return new Unprocessable({ error: error.message, code: "idempotency_key_reused" })
    case "IdempotencyInProgress":
      return new Conflict({ error: error.message, code: "idempotency_in_progress" })
    case "Forbidden":
      return new Forbidden({ error: error.message, code: "forbidden" })
    case "EditConflict":
      return new Conflict({ error: error.message, code: "edit_conflict" })
    case "Overloaded":
      return new Unavailable({ error: error.message, code: "unavailable" })
  }
}

/** 503 with `Retry-After`: admission control refused the request, come back in that many seconds. */
export const retryLater = (error: Overloaded): HttpServerResponse.HttpServerResponse =>
  errorResponse(fromDomain(error), { "retry-after": String(error.retryAfterSeconds) })
