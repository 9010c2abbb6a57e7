import { Context } from "effect"
import type { SoldOut } from "../errors.ts"
import type { PurchaseRequest } from "../rules/purchaseInput.ts"

/** Sold-out answers given from memory; see `SoldOutAnswers`. */
export interface SoldOutAnswersShape {
  /**
   * The `SoldOut` the inventory would answer `request` now, when every ticket type it wants is
   * remembered sold out; undefined otherwise. Synchronous, and counted as a sold-out answer.
   */
  readonly answerNow: (request: PurchaseRequest) => SoldOut | undefined
  /** Whether any ticket type is remembered sold out: if none is, no request need be decoded to ask. */
  readonly remembersAny: () => boolean
}

/**
 * What the inventory would answer a purchase of ticket types known to be sold out, without asking
 * it — for an edge that would rather not start any work for such a buyer (`purchaseSoldOutNow`).
 * A reference whose default knows nothing: `coalescePurchases` provides the real one, from the
 * sold-out memo in front of the inventory.
 */
export class SoldOutAnswers extends Context.Reference<SoldOutAnswersShape>(
  "@ticketmania/domain/SoldOutAnswers",
  { defaultValue: () => ({ answerNow: () => undefined, remembersAny: () => false }) }
) {}
