import { Context, type DateTime, type Effect } from "effect"
import type { MailMessage } from "../mail/MailMessage.ts"

/** A queued message with its delivery bookkeeping. */
export interface OutboxEntry {
  readonly id: number
  readonly message: MailMessage
  /** Delivery attempts made so far. */
  readonly attempts: number
  /** This claim's token: only its holder may record the outcome. */
  readonly claim: string
  /** Since when it has been due: when it was queued, or the time set for its retry. */
  readonly dueAt: DateTime.Utc
}

/**
 * Mail waiting to be delivered. Producers queue messages inside their own transactions (see
 * `UserRepository.create`, `TicketInventory.purchase`); a worker drains it. Claims are exclusive
 * across workers and instances, so no message is delivered twice.
 */
export class MailOutbox extends Context.Service<MailOutbox, {
  /** Queues a message for delivery as soon as possible. */
  enqueue(message: MailMessage): Effect.Effect<void>
  /** Claims up to `limit` messages due at `now`; a claim expires after `leaseMillis` if not settled. */
  claimDue(limit: number, now: DateTime.Utc, leaseMillis: number): Effect.Effect<ReadonlyArray<OutboxEntry>>
  /**
   * Records the delivery of claimed messages, all in one step (a worker sending many messages
   * records them in groups). Answers the ids it recorded: a message whose claim is no longer
   * current (its lease lapsed and another worker claimed it) is left unchanged and not among them.
   */
  markSent(entries: ReadonlyArray<OutboxEntry>, at: DateTime.Utc): Effect.Effect<ReadonlySet<number>>
  /**
   * Records a failed attempt: retried at `retryAt`, or given up for good when it is null. Answers
   * false, changing nothing, when the claim is no longer current.
   */
  markFailed(entry: OutboxEntry, error: string, retryAt: DateTime.Utc | null): Effect.Effect<boolean>
}>()("@ticketmania/domain/MailOutbox") {}
