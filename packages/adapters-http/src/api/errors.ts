import { Schema } from "effect"

// The contract's error envelope, `{"error": <message>, "code": "<machine_code>"}`, one class per
// HTTP status. These are HTTP vocabulary: the domain's errors know no statuses, and
// `handlers/domainErrors.ts` translates them. `Schema.Error` (not `TaggedError`) keeps `_tag` off
// the wire, so the encoded body is exactly the envelope.

const envelope = <const Codes extends ReadonlyArray<string>>(codes: Codes) => ({
  error: Schema.String,
  code: Schema.Literals(codes)
})

/** 400: empty body, malformed JSON, or a body that is not the JSON value the route takes. */
export class BadRequest extends Schema.Error<BadRequest>("BadRequest")(envelope(["bad_request"]), {
  httpApiStatus: 400,
  description: "The request body is empty, is not valid JSON, or is not the JSON value the route takes"
}) {
  get status(): 400 {
    return 400
  }
  static fromMessage(message: string): BadRequest {
    return new BadRequest({ error: message, code: "bad_request" })
  }
}

/** 401: a bad bearer token, no token on a protected route, or wrong login credentials. */
export class Unauthorized extends Schema.Error<Unauthorized>("Unauthorized")(
  envelope(["invalid_token", "authentication_required", "invalid_credentials"]),
  { httpApiStatus: 401, description: "Missing or invalid credentials" }
) {
  get status(): 401 {
    return 401
  }
}

/** 403: authenticated but not allowed. */
export class Forbidden extends Schema.Error<Forbidden>("Forbidden")(envelope(["forbidden"]), {
  httpApiStatus: 403,
  description: "Authenticated but not allowed"
}) {
  get status(): 403 {
    return 403
  }
}

/** 404: unknown route or id, or a resource the caller may not see. */
export class NotFound extends Schema.Error<NotFound>("NotFound")(envelope(["not_found"]), {
  httpApiStatus: 404,
  description: "No such resource"
}) {
  get status(): 404 {
    return 404
  }
  static fromMessage(message: string): NotFound {
    return new NotFound({ error: message, code: "not_found" })
  }
}

/** 405: the path exists, the method does not (the reply carries `Allow`). */
export class MethodNotAllowed extends Schema.Error<MethodNotAllowed>("MethodNotAllowed")(
  envelope(["method_not_allowed"]),
  { httpApiStatus: 405, description: "Known path, wrong method" }
) {
  get status(): 405 {
    return 405
  }
}

/** 409: the request conflicts with the current state. */
export class Conflict extends Schema.Error<Conflict>("Conflict")(
  envelope(["email_taken", "sold_out", "not_on_sale", "idempotency_in_progress", "edit_conflict"]),
  { httpApiStatus: 409, description: "The request conflicts with the current state" }
) {
  get status(): 409 {
    return 409
  }
}

/** 413: the body is over the size limit. */
export class PayloadTooLarge extends Schema.Error<PayloadTooLarge>("PayloadTooLarge")(
  envelope(["payload_too_large"]),
  { httpApiStatus: 413, description: "The request body is over the size limit" }
) {
  get status(): 413 {
    return 413
  }
}

/** 415: a body that is not JSON. */
export class UnsupportedMediaType extends Schema.Error<UnsupportedMediaType>("UnsupportedMediaType")(
  envelope(["unsupported_media_type"]),
  { httpApiStatus: 415, description: "The request body is not JSON" }
) {
  get status(): 415 {
    return 415
  }
}

/** 422 `validation_failed`: every bad field, by path, with a message. */
export class ValidationError extends Schema.Error<ValidationError>("ValidationError")({
  error: Schema.Record(Schema.String, Schema.String),
  code: Schema.Literal("validation_failed")
}, { httpApiStatus: 422, description: "Fields are missing, of the wrong type, or invalid" }) {
  get status(): 422 {
    return 422
  }
  static fromFields(fields: Readonly<Record<string, string>>): ValidationError {
    return new ValidationError({ error: fields, code: "validation_failed" })
  }
}

/** 422 `idempotency_key_reused`: an `Idempotency-Key` reused with a different request. */
export class Unprocessable extends Schema.Error<Unprocessable>("Unprocessable")(
  envelope(["idempotency_key_reused"]),
  { httpApiStatus: 422, description: "The Idempotency-Key was used with a different request" }
) {
  get status(): 422 {
    return 422
  }
}

/** 429: too many requests from this client (the reply carries `Retry-After`). */
export class RateLimited extends Schema.Error<RateLimited>("RateLimited")(envelope(["rate_limited"]), {
  httpApiStatus: 429,
  description: "Too many requests; retry after the number of seconds in Retry-After"
}) {
  get status(): 429 {
    return 429
  }
}

/** 500: an unexpected failure; details are only in the log. */
export class InternalError extends Schema.Error<InternalError>("InternalError")(envelope(["internal_error"]), {
  httpApiStatus: 500,
  description: "Unexpected failure"
}) {
  get status(): 500 {
    return 500
  }
}

/** 503: shutting down, the database is unreachable, or the request took too long. */
export class Unavailable extends Schema.Error<Unavailable>("Unavailable")(envelope(["unavailable"]), {
  httpApiStatus: 503,
  description: "The service cannot answer right now"
}) {
  get status(): 503 {
    return 503
  }
}

/** Any error the API answers with. */
export type ApiError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | MethodNotAllowed
  | Conflict
  | PayloadTooLarge
  | UnsupportedMediaType
  | ValidationError
  | Unprocessable
  | RateLimited
  | InternalError
  | Unavailable

/** The HTTP status of an API error. */
export const statusOf = (error: ApiError): number => error.status

/** The JSON body of an API error: exactly the contract's envelope. */
export const envelopeOf = (error: ApiError): { readonly error: unknown; readonly code: string } => ({
  error: error.error,
  code: error.code
})
