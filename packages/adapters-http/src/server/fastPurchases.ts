import { Context, Effect } from "effect"
import type { IncomingMessage } from "node:http"
import { type Overloaded, PurchaseAdmission, purchaseSoldOutNow, purchaseTickets, type SoldOut, SoldOutAnswers } from "@ticketmania/domain"
import { fromDomain, retryLater } from "../handlers/domainErrors.ts"
import { purchaseJson } from "../handlers/wire.ts"
import { mediaTypeProblem, parseJsonBody } from "../http/body.ts"
import { replyForCause, timedOutResponse } from "../http/edge.ts"
import { BadRequest } from "../api/errors.ts"
import { errorResponse, internalErrorResponse } from "../http/errorResponse.ts"
import { matchRoute } from "../http/routes.ts"
import { asFastReply, type FastAnswer, type FastKit, type FastReply } from "./fastKit.ts"

// The fast path for guest purchases, the requests of a flash sale. The generic stack around a
// purchase (router, middleware, a fiber per request, the body read as a stream, the reply encoded
// by schema) is most of what a refused purchase costs, and a good part of a sale (BENCHMARKS.md,
// third round: sold-out replies 2.1× as fast; service CPU per sale a fifth lower together with that
// round's other changes). A `POST /v1/buy-ticket` or `/v1/orders` with a JSON body of known
// length and no credentials or Origin is read here and handed to the same use case, and its
// outcome is answered with the same status, headers and bytes as the full stack gives: the
// receipt (201, `Idempotent-Replayed` on a replay), the domain error's reply, 503 with
// Retry-After when the queue is full, a body that is not JSON. A purchase of what is remembered
// sold out is answered at once, without a fiber (`purchaseSoldOutNow`): after a sell-out, that is
// most of the crowd. When the queue is full already as the headers arrive, the 503 goes out
// before the body is read (Node discards it, keeping the connection): the opening of a sale is a
// thousand requests in one instant, and every one of them that will be refused anyway should
// cost the event loop — and the purchases behind it — no more than its headers. Anything else is
// left to the full stack: signed-in buyers, CORS, a body too large, chunked or announced with
// `Expect`, a media type that is not JSON (415), an empty body.

/** Sold-out replies remembered at most (one per ticket type and quantity asked, in practice). */
const MAX_REMEMBERED_REPLIES = 1_000

const PURCHASE_PATHS: ReadonlySet<string> = new Set(["/v1/buy-ticket", "/v1/orders"])

const mayBeFast = (request: IncomingMessage, bodyLimit: number): boolean => {
  const headers = request.headers
  if (request.method !== "POST" || !PURCHASE_PATHS.has(request.url ?? "")) return false
  if (headers.authorization !== undefined || headers.origin !== undefined || headers.expect !== undefined) return false
  if (headers["transfer-encoding"] !== undefined || mediaTypeProblem(headers["content-type"]) !== undefined) return false
  const length = Number(headers["content-length"])
  return Number.isSafeInteger(length) && length > 0 && length <= bodyLimit
}

const created = (body: string, replayed: boolean): FastReply => ({
  status: 201,
  headers: replayed ? { "idempotent-replayed": "true" } : {},
  body
})

/** The fast path for guest purchases (`fastPath.ts` installs it). */
export const makeFastPurchases = (kit: FastKit): FastAnswer => {
  const run = Effect.runCallbackWith(kit.context)
  const timedOut = asFastReply(timedOutResponse())
  const admission = Context.get(kit.context, PurchaseAdmission)
  const soldOutAnswers = Context.get(kit.context, SoldOutAnswers)
  // A refusal of an overloaded queue is the same bytes for the same wait: built once per wait, so
  // that turning a crowd away costs next to nothing.
  const refusals = new Map<number, FastReply>()
  const refusal = (overloaded: Overloaded) => {
    const known = refusals.get(overloaded.retryAfterSeconds)
    if (known !== undefined) return known
    const reply = asFastReply(retryLater(overloaded))
    refusals.set(overloaded.retryAfterSeconds, reply)
    return reply
  }

  // After a sell-out, thousands of buyers a second are told the same thing: a sold-out reply is
  // the same bytes for the same message (type, quantity asked), so each is built once.
  const soldOutReplies = new Map<string, FastReply>()
  const soldOutReply = (error: SoldOut) => {
    const known = soldOutReplies.get(error.message)
    if (known !== undefined) return known
    const reply = asFastReply(errorResponse(fromDomain(error)))
    if (soldOutReplies.size >= MAX_REMEMBERED_REPLIES) soldOutReplies.clear()
    soldOutReplies.set(error.message, reply)
    return reply
  }

  const purchase = (body: unknown, idempotencyKey: string | null, url: string) =>
    purchaseTickets(body, { userId: null, idempotencyKey }).pipe(
      Effect.map(({ receipt, replayed }) => created(JSON.stringify(purchaseJson(receipt)), replayed)),
      Effect.catchTag("Overloaded", (overloaded) => Effect.succeed(refusal(overloaded))),
      Effect.catch((error) => Effect.succeed(error._tag === "SoldOut" ? soldOutReply(error) : asFastReply(errorResponse(fromDomain(error))))),
      Effect.timeoutOrElse({ duration: kit.config.requestTimeout, orElse: () => Effect.succeed(timedOut) }),
      Effect.catchCause((cause) => Effect.map(replyForCause(cause, "POST", matchRoute(url)), asFastReply))
    )

  return (request, response) => {
    if (!mayBeFast(request, kit.config.bodyLimit)) return false
    const url = request.url ?? ""
    if (!kit.allowed(request, url)) return false
    const taken = kit.begin(request, url)
    const overloaded = admission.refusalNow()
    if (overloaded !== undefined) {
      try {
        kit.reply(response, taken, refusal(overloaded))
      } catch (error) {
        kit.defect(response, taken, error)
      }
      return true
    }
    const key = request.headers["idempotency-key"] ?? null
    const chunks: Array<Buffer> = []
    // Runs outside any fiber: a throw here would reach the process, so it becomes a 500.
    const guarded = (step: () => void) => {
      try {
        step()
      } catch (error) {
        kit.defect(response, taken, error)
      }
    }
    const answer = (reply: FastReply) => guarded(() => kit.reply(response, taken, reply))
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.once("end", () => guarded(() => {
      const parsed = parseJsonBody(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks), "object-or-array")
      if (parsed._tag === "Failure") return answer(asFastReply(errorResponse(parsed.failure)))
      const idempotencyKey = Array.isArray(key) ? key.join(", ") : key
      // A buyer of what is known to be gone is answered at once, without a fiber.
      const soldOut = purchaseSoldOutNow(soldOutAnswers, parsed.success, { userId: null, idempotencyKey })
      if (soldOut !== undefined) return answer(soldOutReply(soldOut))
      run(
        purchase(parsed.success, idempotencyKey, url).pipe(Effect.annotateLogs({ request_id: taken.requestId })),
        // Every failure is answered inside; only an interruption from outside would end here.
        { onExit: (exit) => answer(exit._tag === "Success" ? exit.value : asFastReply(internalErrorResponse)) }
      )
    }))
    // The client went away before its body was complete: nothing to answer, only to count.
    request.once("close", () => {
      if (!request.complete) answer(asFastReply(errorResponse(BadRequest.fromMessage("the request body could not be read"))))
    })
    return true
  }
}
