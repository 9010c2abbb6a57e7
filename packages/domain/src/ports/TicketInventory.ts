import { Context, type DateTime, Effect, type Result } from "effect"
import type { IdempotencyInProgress, IdempotencyKeyReused, Overloaded } from "../errors.ts"
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

/** Why a purchase the inventory looked at did not sell. */
export type PurchaseFailure = AllocationError | IdempotencyKeyReused | IdempotencyInProgress

/** What a batch of purchases came to. */
export interface PurchaseBatchOutcome {
  /** One result per command, in the commands' order. */
  readonly results: ReadonlyArray<Result.Result<PurchaseOutcome, PurchaseFailure>>
  /**
   * The ticket types (and their events) the batch locked, as they stand after its sales: what an
   * in-process read model (a sold-out memo, a cache) may learn without another read.
   */
  readonly stock: SaleStock
}

/**
 * The atomic purchase. An implementation locks the ticket types in ascending id order
 * (`lockOrder`), reads stock and event state, decides with the domain's `allocate`, and then
 * stores the order, its tickets, the new sold counts, the idempotency record and the confirmation
 * mail — all or nothing. It never oversells, however many purchases race.
 *
 * `purchaseMany` does the same for a batch in ONE transaction: idempotency keys of all commands,
 * the union of their ticket types locked in ascending id order (`batchLockOrder`), every command
 * decided in order by the domain's `allocateBatch`, then all writes. Each command gets its own
 * result, exactly what `purchase` one after another would have given; a refused command never
 * fails the others. A failure of the transaction itself (the database is away) is a defect of the
 * whole batch: nothing of it is written.
 *
 * `purchase` may also fail with `Overloaded` when the inventory sits behind admission control
 * (`coalescePurchases`), which refuses at once rather than queueing without bound.
 */
export class TicketInventory extends Context.Service<TicketInventory, {
  purchase(command: PurchaseCommand): Effect.Effect<PurchaseOutcome, PurchaseFailure | Overloaded>
  purchaseMany(commands: ReadonlyArray<PurchaseCommand>, options?: PurchaseManyOptions): Effect.Effect<PurchaseBatchOutcome>
}>()("@ticketmania/domain/TicketInventory") {}

/** How a caller follows a batch. */
export interface PurchaseManyOptions {
  /**
   * Run once the batch holds its stock locks (at once, when it needs none), before it decides
   * anything. A coalescer starts the lane's next batch then: that batch can do its own work up to
   * the locks meanwhile, and queues on them behind this one instead of overtaking it. Runs again
   * if the transaction is retried.
   */
  readonly onLocked?: Effect.Effect<void> | undefined
}

/**
 * `purchase` as a batch of one, for an adapter whose `purchaseMany` does the work: a lone purchase
 * then takes exactly the path a batch takes, so the two cannot drift apart.
 */
export const purchaseAsBatch = (purchaseMany: TicketInventory["Service"]["purchaseMany"]) =>
  (command: PurchaseCommand): Effect.Effect<PurchaseOutcome, PurchaseFailure> =>
    Effect.flatMap(purchaseMany([command]), ({ results: [result] }) =>
      result === undefined ? Effect.die(new Error("a batch of one purchase gave no result")) : Effect.fromResult(result))
