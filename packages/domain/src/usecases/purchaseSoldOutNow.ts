import type { SoldOut } from "../errors.ts"
import type { SoldOutAnswersShape } from "../ports/SoldOutAnswers.ts"
import { decodePurchaseRequestNow } from "../rules/purchaseInput.ts"
import type { PurchaseContext } from "./purchaseTickets.ts"

/**
 * The sold-out answer `purchaseTickets` would give this purchase, decided at once and without an
 * effect — after a sell-out, most buyers of a flash sale ask for what is gone, and the fiber, the
 * effects and the deadline of a whole purchase were about 40% of the CPU their replies cost the
 * service (BENCHMARKS.md, fifth round). Undefined when the purchase must go the whole way through
 * `purchaseTickets`: it carries an idempotency key (it may be the retry of a sale), its body is
 * invalid (the errors are reported there), or what it wants is not remembered sold out. While
 * nothing is remembered sold out, the body is not even decoded. One difference, on purpose: a
 * buyer of a sold-out type is told so even while purchasing is overloaded, where
 * `purchaseTickets` would first answer 503 — "none left" is the more useful reply, and costs
 * nothing.
 */
export const purchaseSoldOutNow = (answers: SoldOutAnswersShape, body: unknown, context: PurchaseContext): SoldOut | undefined => {
  if (context.idempotencyKey !== null || !answers.remembersAny()) return undefined
  const request = decodePurchaseRequestNow(body, context.userId)
  return request === undefined ? undefined : answers.answerNow(request)
}
