import { Context } from "effect"

/** Whether purchases are being sold right now; see `SalesActivity`. */
export interface SalesActivityShape {
  /** True while purchases wait for a batch or a batch is in flight. Synchronous and cheap. */
  readonly selling: () => boolean
}

/**
 * Tells work that can wait (the mail worker, password hashing) when purchases are being sold, so
 * that it gives way to them: in a flash sale, every moment of the event loop or of the CPU that
 * the confirmations or the logins take is one the buyers wait for. A reference whose default
 * never sells: `coalescePurchases` provides the real one, from the purchases it holds.
 */
export class SalesActivity extends Context.Reference<SalesActivityShape>(
  "@ticketmania/domain/SalesActivity",
  { defaultValue: () => ({ selling: () => false }) }
) {}
