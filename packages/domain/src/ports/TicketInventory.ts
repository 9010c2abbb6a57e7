import { Context, type DateTime, type Effect } from "effect"
import type { IdempotencyInProgress, IdempotencyKeyReused } from "../errors.ts"
import type { MailMessage } from "../mail/MailMessage.ts"
import type { Receipt, TicketCode } from "../model/Order.ts"
import type { AllocationError, SaleStock } from "../rules/allocate.ts"
import type { IdempotencyKey, PurchaseRequest } from "../rules/purchaseInput.ts"

/** Makes a retried request safe: the same key and fingerprint sell once and replay the receipt. */
export interface Idempotency {
  readonly key: IdempotencyKey
  /** `purchaseFingerprint(request)`: tells a true retry from a different request. */
  readonly fingerprint: string
}

/** Everything an inventory needs to carry out a purchase atomically. */
export interface PurchaseCommand {
  readonly request: PurchaseRequest
  /** The instant the purchase is decided at (sales close when an event starts). */
  readonly now: DateTime.Utc
  /** One fresh code per ticket the request can issue at most. */
  readonly codes: ReadonlyArray<TicketCode>
  readonly idempotency: Idempotency | null
  /** Builds the confirmation mail, queued in the same transaction as the sale. */
  readonly confirmation: (receipt: Receipt, stock: SaleStock) => MailMessage
}

/** A completed purchase: fresh, or replayed from an earlier request with the same key. */
export interface PurchaseOutcome {
  readonly receipt: Receipt
  readonly replayed: boolean
}

/**
 * The atomic purchase. An implementation locks the ticket types in ascending id order
 * (`lockOrder`), reads stock and event state, decides with the domain's `allocate`, and then
 * stores the order, its tickets, the new sold counts, the idempotency record and the confirmation
 * mail — all or nothing. It never oversells, however many purchases race.
 */
export class TicketInventory extends Context.Service<TicketInventory, {
  purchase(
    command: PurchaseCommand
  ): Effect.Effect<PurchaseOutcome, AllocationError | IdempotencyKeyReused | IdempotencyInProgress>
}>()("@ticketmania/domain/TicketInventory") {}
