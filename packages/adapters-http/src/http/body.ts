import { ByteSize, Effect, Result } from "effect"
import { HttpIncomingMessage, HttpServerRequest } from "effect/http"
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from "../api/errors.ts"
import { HttpConfig } from "../config/HttpConfig.ts"
import { parseJson } from "./json.ts"

// Reads a JSON request body the way the contract wants: 415 for a body that is not JSON, 413 over
// the size limit (checked against Content-Length before reading, and while reading chunked
// bodies), 400 for an empty body, bytes that are not UTF-8, malformed JSON (saying where),
// duplicate keys, trailing data, or a value of the wrong kind. Handlers then pass the parsed value
// to the domain use case, which validates the fields.

/** What a route takes as its body. */
export type BodyShape = "object" | "object-or-array"

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })

/** Checks Content-Type; an absent one is read as JSON, as many clients leave it out. */
const checkMediaType = (contentType: string | undefined): Effect.Effect<void, UnsupportedMediaType> => {
  if (contentType === undefined) return Effect.void
  const [type = "", ...params] = contentType.split(";").map((s) => s.trim().toLowerCase())
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "")
  if (JSON_MEDIA_TYPE.test(type) && (charset === undefined || charset === "utf-8" || charset === "utf8")) return Effect.void
  return Effect.fail(new UnsupportedMediaType({
    error: `the request body must be JSON (Content-Type: application/json), not ${JSON.stringify(type || contentType)}`,
    code: "unsupported_media_type"
  }))
}

const tooLarge = (limit: number) =>
  new PayloadTooLarge({ error: `the request body is larger than the limit of ${limit} bytes`, code: "payload_too_large" })

/** Reads and parses the current request's JSON body, which must have the given shape. */
export const readJsonBody = Effect.fnUntraced(function*(shape: BodyShape) {
  const request = yield* HttpServerRequest.HttpServerRequest
  const { bodyLimit } = yield* HttpConfig
  yield* checkMediaType(request.headers["content-type"])
  const declared = Number(request.headers["content-length"] ?? 0)
  if (declared > bodyLimit) return yield* tooLarge(bodyLimit)
  const bytes = yield* request.arrayBuffer.pipe(
    Effect.provideService(HttpIncomingMessage.MaxBodySize, ByteSize.bytes(bodyLimit)),
    Effect.mapError((error) =>
      error.reason._tag === "RequestParseError" && error.reason.reason === "BodyTooLarge"
        ? tooLarge(bodyLimit)
        : BadRequest.fromMessage("the request body could not be read")
    )
  )
  const text = yield* Effect.try({
    try: () => strictUtf8.decode(bytes),
    catch: () => BadRequest.fromMessage("the request body is not valid UTF-8")
  })
  if (text.trim() === "") {
    return yield* BadRequest.fromMessage(`the request body is empty; expected a JSON ${shape === "object" ? "object" : "object or array"}`)
  }
  const parsed = parseJson(text)
  if (Result.isFailure(parsed)) {
    const { line, column, reason } = parsed.failure
    return yield* BadRequest.fromMessage(`malformed JSON at line ${line}, column ${column}: ${reason}`)
  }
  const value = parsed.success
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value)
  if (isObject || (shape === "object-or-array" && Array.isArray(value))) return value
  const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`
  return yield* BadRequest.fromMessage(
    `the request body must be a JSON ${shape === "object" ? "object" : "object or an array of objects"}, not ${got}`
  )
})
