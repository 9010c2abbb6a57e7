import { Context, Effect } from "effect"
import type { Overloaded } from "../errors.ts"

/** Admission control in front of purchasing; see `PurchaseAdmission`. */
export interface PurchaseAdmissionShape {
  /** Fails with `Overloaded` when too many purchases wait already. */
  readonly admit: Effect.Effect<void, Overloaded>
  /**
   * The same check, synchronously, for an edge that would rather not start any work on a request
   * it must refuse — not even read its body: the `Overloaded` to answer (counted as a refusal), or
   * undefined when the purchase may go on (and will be asked `admit` again in `purchaseTickets`).
   */
  readonly refusalNow: () => Overloaded | undefined
}

/**
 * Admission control in front of purchasing, asked before a purchase is even decoded, so that a
 * flood of buyers is turned away for the price of a counter check. A reference whose default
 * admits everyone: `coalescePurchases` provides the real one, next to the inventory whose queue
 * it watches.
 */
export class PurchaseAdmission extends Context.Reference<PurchaseAdmissionShape>(
  "@ticketmania/domain/PurchaseAdmission",
  { defaultValue: () => ({ admit: Effect.void, refusalNow: () => undefined }) }
) {}
