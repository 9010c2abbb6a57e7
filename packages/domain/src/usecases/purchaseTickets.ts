import { DateTime, Effect, Metric } from "effect"
import { ValidationFailed } from "../errors.ts"
import { orderConfirmationMail } from "../mail/templates.ts"
import { ordersCompleted, soldOutRejections, ticketsSold } from "../metrics.ts"
import type { UserId } from "../model/ids.ts"
import { PurchaseAdmission } from "../ports/PurchaseAdmission.ts"
import { TicketCodes } from "../ports/TicketCodes.ts"
import { TicketInventory } from "../ports/TicketInventory.ts"
import { decodePurchaseRequest, IdempotencyKey, MAX_TICKETS_PER_ORDER, purchaseFingerprint } from "../rules/purchaseInput.ts"
import { decodeInput } from "../rules/validate.ts"

const decodeKey = decodeInput(IdempotencyKey)

/** Who is buying, and the retry key if the client sent one. */
export interface PurchaseContext {
  readonly userId: UserId | null
  readonly idempotencyKey: string | null
}

/**
 * Buys tickets: `body` is one purchase object or an array of them (the buy-ticket body). The whole
 * request is one order, sold entirely or not at all. With an idempotency key, a retry of the same
 * request replays the first receipt and sells nothing more. When too many purchases wait already,
 * it fails at once with `Overloaded`. Untraced, unlike the other use cases: a flash sale calls it
 * thousands of times a second, and a traced call (a span and two captured stack frames) costs
 * about 6 µs, some 2% of a sale.
 */
export const purchaseTickets = Effect.fnUntraced(function*(body: unknown, context: PurchaseContext) {
  // Before any work on the request: turning a buyer away must cost next to nothing.
  yield* (yield* PurchaseAdmission).admit
  const request = yield* decodePurchaseRequest(body, context.userId)
  const key = context.idempotencyKey === null
    ? null
    : yield* decodeKey(context.idempotencyKey).pipe(
      Effect.mapError(() => ValidationFailed.field("Idempotency-Key", "must be 1 to 255 printable ASCII characters"))
    )
  const wanted = request.lines.reduce((n, l) => n + l.quantity, 0)
  const codes = yield* (yield* TicketCodes).generate(Math.min(wanted, MAX_TICKETS_PER_ORDER))
  const outcome = yield* (yield* TicketInventory).purchase({
    request,
    now: yield* DateTime.now,
    codes,
    idempotency: key === null ? null : { key, fingerprint: purchaseFingerprint(request) },
    confirmation: orderConfirmationMail
  }).pipe(Effect.tapErrorTag("SoldOut", () => Metric.update(soldOutRejections, 1)))
  if (!outcome.replayed) {
    yield* Metric.update(ticketsSold, outcome.receipt.tickets.length)
    yield* Metric.update(ordersCompleted, 1)
  }
  return outcome
})
