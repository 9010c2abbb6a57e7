import { Context, type DateTime, type Effect } from "effect"
import type { MailMessage } from "../mail/MailMessage.ts"

/** A queued message with its delivery bookkeeping. */
export interface OutboxEntry {
  readonly id: number
  readonly message: MailMessage
  /** Delivery attempts made so far. */
  readonly attempts: number
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
  markSent(id: number, at: DateTime.Utc): Effect.Effect<void>
  /** Records a failed attempt: retried at `retryAt`, or given up for good when it is null. */
  markFailed(id: number, error: string, retryAt: DateTime.Utc | null): Effect.Effect<void>
}>()("@ticketmania/domain/MailOutbox") {}
