import { Context, Effect, Layer, Semaphore } from "effect"
import type {
  Event,
  EventId,
  MailMessage,
  Order,
  OrderId,
  PasswordHash,
  Ticket,
  TicketType,
  TicketTypeId,
  User,
  UserId
} from "@ticketmania/domain"
import type { DateTime } from "effect"

/** An event row without its ticket types (they live in their own table, as in SQL). */
export type EventRow = Omit<Event, "ticketTypes">

/** A queued mail with its delivery bookkeeping. */
export interface OutboxRow {
  readonly id: number
  readonly message: MailMessage
  readonly status: "pending" | "sent" | "failed"
  readonly attempts: number
  readonly nextAttemptAt: DateTime.Utc
  readonly lockedUntil: DateTime.Utc | null
  /** Token of the current claim; only its holder may settle the message. */
  readonly claim: string | null
  readonly lastError: string | null
}

/** What an idempotency key remembers. */
export interface IdempotencyRow {
  readonly fingerprint: string
  readonly orderId: OrderId
}

/** The tables of the in-memory database. */
export interface Tables {
  readonly users: Map<UserId, { readonly user: User; readonly passwordHash: PasswordHash }>
  readonly events: Map<EventId, EventRow>
  readonly ticketTypes: Map<TicketTypeId, TicketType>
  readonly orders: Map<OrderId, Order>
  readonly tickets: Array<Ticket>
  readonly idempotency: Map<string, IdempotencyRow>
  readonly outbox: Map<number, OutboxRow>
  readonly sequences: Record<"user" | "event" | "ticketType" | "order" | "ticket" | "outbox", number>
}

const emptyTables = (): Tables => ({
  users: new Map(),
  events: new Map(),
  ticketTypes: new Map(),
  orders: new Map(),
  tickets: [],
  idempotency: new Map(),
  outbox: new Map(),
  sequences: { user: 0, event: 0, ticketType: 0, order: 0, ticket: 0, outbox: 0 }
})

/**
 * The shared state behind every in-memory adapter. Writers run under one semaphore and do all
 * their checks before their first mutation, so a failed write changes nothing, like a rolled-back
 * transaction; readers see only states between writes (JavaScript runs one fiber step at a time).
 */
export class InMemoryStore extends Context.Service<InMemoryStore, {
  readonly tables: Tables
  /** Runs `effect` as the only writer. */
  transaction<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
  /** Next value of a sequence, like a SQL identity column. */
  nextId(sequence: keyof Tables["sequences"]): number
}>()("@ticketmania/testing/InMemoryStore") {
  static readonly layer = Layer.effect(
    InMemoryStore,
    Effect.gen(function*() {
      const lock = yield* Semaphore.make(1)
      const tables = emptyTables()
      return InMemoryStore.of({
        tables,
        transaction: (effect) => lock.withPermit(effect),
        nextId: (sequence) => ++tables.sequences[sequence]
      })
    })
  )
}
