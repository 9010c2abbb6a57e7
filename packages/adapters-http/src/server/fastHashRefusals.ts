import type { IncomingMessage } from "node:http"
import { HASHING_RETRY_AFTER_SECONDS, type HashAdmissionShape, HashingBusy, hashingBusyResponse } from "../handlers/admission.ts"
import { asFastReply, type FastAnswer, type FastKit } from "./fastKit.ts"

// Refusals of password hashing (`handlers/admission.ts`), from the Node request listener. A login
// storm arrives all at once: 200 clients are 200 requests in the same instant, and through the
// full stack each refusal costs a fiber, the router and the middleware — tens of milliseconds of
// event loop for the whole storm, during which the purchases on the same loop wait. Here a refusal
// is a few header checks and a reply written from bytes built once, and the body is not read
// (Node discards it, keeping the connection) — as the full stack, which refuses before reading
// the body too. Only refusals are taken: while hashing has room, a login or a registration goes
// the full way. Declined, as by the purchase fast path: credentials, CORS (Origin), `Expect` and
// a chunked body.

const HASHING_PATHS: ReadonlySet<string> = new Set(["/v1/login", "/v1/register"])

const mayBeFast = (request: IncomingMessage): boolean => {
  const headers = request.headers
  if (request.method !== "POST" || !HASHING_PATHS.has(request.url ?? "")) return false
  return headers.authorization === undefined && headers.origin === undefined && headers.expect === undefined &&
    headers["transfer-encoding"] === undefined
}

/** The fast path for refused hashing requests (`fastPath.ts` installs it). */
export const makeFastHashRefusals = (kit: FastKit, admission: HashAdmissionShape): FastAnswer => {
  const refusal = asFastReply(hashingBusyResponse(new HashingBusy({ retryAfterSeconds: HASHING_RETRY_AFTER_SECONDS })))
  return (request, response) => {
    if (!mayBeFast(request) || !admission.full()) return false
    const url = request.url ?? ""
    if (!kit.allowed(request, url)) return false
    const taken = kit.begin(request, url)
    try {
      kit.reply(response, taken, refusal)
    } catch (error) {
      kit.defect(response, taken, error)
    }
    return true
  }
}
