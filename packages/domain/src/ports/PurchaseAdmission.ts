import { Context, Effect } from "effect"
import type { Overloaded } from "../errors.ts"

/**
 * Admission control in front of purchasing, asked before a purchase is even decoded, so that a
 * flood of buyers is turned away for the price of a counter check. `admit` fails with
 * `Overloaded` when too many purchases wait already. A reference whose default admits everyone:
 * `coalescePurchases` provides the real one, next to the inventory whose queue it watches.
 */
export class PurchaseAdmission extends Context.Reference<{ readonly admit: Effect.Effect<void, Overloaded> }>(
  "@ticketmania/domain/PurchaseAdmission",
  { defaultValue: () => ({ admit: Effect.void }) }
) {}
