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

/** The 415 for a Content-Type that is not JSON; an absent one is read as JSON, as many clients leave it out. */
export const mediaTypeProblem = (contentType: string | undefined): UnsupportedMediaType | undefined => {
  // The common case first: it is checked for every purchase.
  if (contentType === undefined || contentType === "application/json") return undefined
  const [type = "", ...params] = contentType.split(";").map((s) => s.trim().toLowerCase())
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "")
  if (JSON_MEDIA_TYPE.test(type) && (charset === undefined || charset === "utf-8" || charset === "utf8")) return undefined
  return new UnsupportedMediaType({
    error: `the request body must be JSON (Content-Type: application/json), not ${JSON.stringify(type || contentType)}`,
    code: "unsupported_media_type"
  })
}

/** The 413 for a body over `limit` bytes. */
export const tooLarge = (limit: number) =>
  new PayloadTooLarge({ error: `the request body is larger than the limit of ${limit} bytes`, code: "payload_too_large" })

/** Decodes and parses a whole body: the value, or the 400 that says what is wrong with it. */
export const parseJsonBody = (bytes: Uint8Array, shape: BodyShape): Result.Result<unknown, BadRequest> => {
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    return Result.fail(BadRequest.fromMessage("the request body is not valid UTF-8"))
  }
  if (text.trim() === "") {
    return Result.fail(BadRequest.fromMessage(`the request body is empty; expected a JSON ${shape === "object" ? "object" : "object or array"}`))
  }
  const parsed = parseJson(text)
  if (Result.isFailure(parsed)) {
    const { line, column, reason } = parsed.failure
    return Result.fail(BadRequest.fromMessage(`malformed JSON at line ${line}, column ${column}: ${reason}`))
  }
  const value = parsed.success
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value)
  if (isObject || (shape === "object-or-array" && Array.isArray(value))) return Result.succeed(value)
  const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`
  return Result.fail(BadRequest.fromMessage(
    `the request body must be a JSON ${shape === "object" ? "object" : "object or an array of objects"}, not ${got}`
  ))
}

/** Reads and parses the current request's JSON body, which must have the given shape. */
export const readJsonBody = Effect.fnUntraced(function*(shape: BodyShape) {
  const request = yield* HttpServerRequest.HttpServerRequest
  const { bodyLimit } = yield* HttpConfig
  const unsupported = mediaTypeProblem(request.headers["content-type"])
  if (unsupported !== undefined) return yield* unsupported
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
  return yield* Effect.fromResult(parseJsonBody(new Uint8Array(bytes), shape))
})
