import { Effect, Layer, Result } from "effect"
import {
  allocateBatch,
  type BatchEntry,
  batchLockOrder,
  type EventSaleState,
  Order,
  OrderId,
  type PurchaseBatchOutcome,
  type PurchaseCommand,
  purchaseAsBatch,
  type PurchaseFailure,
  type PurchaseOutcome,
  Receipt,
  type SaleStock,
  type StoredKey,
  Ticket,
  TicketId,
  TicketInventory
} from "@ticketmania/domain"
import type { Allocation, EventId, PurchaseManyOptions, TicketType, TicketTypeId } from "@ticketmania/domain"
import { InMemoryStore, type Tables } from "./InMemoryStore.ts"
import { insertOutboxRows } from "./outboxRows.ts"

/** The stock the commands touch, read while holding the store's lock. */
const readStock = (tables: Tables, commands: ReadonlyArray<PurchaseCommand>): SaleStock => {
  const ticketTypes = new Map<TicketTypeId, TicketType>()
  for (const id of batchLockOrder(commands.map((c) => c.request))) {
    const found = tables.ticketTypes.get(id)
    if (found !== undefined) ticketTypes.set(id, found)
  }
  const events = new Map<EventId, EventSaleState>()
  for (const line of commands.flatMap((c) => c.request.lines)) {
    const row = tables.events.get(line.eventId)
    if (row !== undefined) events.set(row.id, { id: row.id, title: row.title, status: row.status, startTime: row.startTime })
  }
  return { events, ticketTypes }
}

const scopeOf = (command: PurchaseCommand): string | undefined =>
  command.idempotency === null ? undefined : `${command.request.userId ?? "guest"}:${command.idempotency.key}`

const storedKey = (tables: Tables, command: PurchaseCommand): StoredKey => {
  const scope = scopeOf(command)
  const remembered = scope === undefined ? undefined : tables.idempotency.get(scope)
  return remembered === undefined ? { _tag: "Free" } : { _tag: "Remembered", fingerprint: remembered.fingerprint }
}

const receiptOf = (tables: Tables, orderId: OrderId): Receipt | undefined => {
  const order = tables.orders.get(orderId)
  return order === undefined
    ? undefined
    : new Receipt({ order, tickets: tables.tickets.filter((t) => t.orderId === orderId) })
}

/**
 * `TicketInventory` over the in-memory store: the same steps as the SQL adapter — idempotency
 * records, read stock, the domain's `allocateBatch`, then all writes — under the store's single
 * lock. `purchase` is a batch of one.
 */
export const InMemoryTicketInventory = Layer.effect(
  TicketInventory,
  Effect.gen(function*() {
    const store = yield* InMemoryStore
    const { tables } = store

    /** Stores one decided sale and returns its receipt. */
    const record = (command: PurchaseCommand, allocation: Allocation, stock: SaleStock): Receipt => {
      const { request, now } = command
      const order = new Order({
        id: OrderId.make(store.nextId("order")),
        userId: request.userId,
        buyerEmail: allocation.buyerEmail,
        totalAmount: allocation.totalAmount,
        currency: allocation.currency,
        createdAt: now
      })
      // Codes were checked to be enough; pairing by index keeps ticket i with code i.
      const tickets = allocation.tickets.flatMap((t, i) => {
        const code = command.codes[i]
        return code === undefined ? [] : [
          new Ticket({ ...t, id: TicketId.make(store.nextId("ticket")), orderId: order.id, userId: request.userId, status: "sold", code, createdAt: now })
        ]
      })
      tables.orders.set(order.id, order)
      tables.tickets.push(...tickets)
      const scope = scopeOf(command)
      if (scope !== undefined && command.idempotency !== null) {
        tables.idempotency.set(scope, { fingerprint: command.idempotency.fingerprint, orderId: order.id })
      }
      const receipt = new Receipt({ order, tickets })
      insertOutboxRows(store, [command.confirmation(receipt, stock)], now)
      return receipt
    }

    const sell = (commands: ReadonlyArray<PurchaseCommand>): Effect.Effect<PurchaseBatchOutcome> => {
      const entries: Array<BatchEntry> = commands.map((c) => ({ request: c.request, now: c.now, idempotency: c.idempotency, stored: storedKey(tables, c) }))
      const { decisions, stock } = allocateBatch(entries, readStock(tables, commands))
      // Every check before the first write, so a defect leaves the store as it was.
      for (const [i, decision] of decisions.entries()) {
        const command = commands[i]
        const codes = command?.codes.length ?? 0
        if (decision._tag === "Sell" && codes < decision.allocation.tickets.length) {
          return Effect.die(new Error(`${decision.allocation.tickets.length} tickets need codes, got ${codes}`))
        }
        const remembered = command === undefined ? undefined : tables.idempotency.get(scopeOf(command) ?? "")
        if (decision._tag === "Replay" && (remembered === undefined || !tables.orders.has(remembered.orderId))) {
          return Effect.die(new Error(`idempotency record of command ${i} points at no order`))
        }
      }
      const results: Array<Result.Result<PurchaseOutcome, PurchaseFailure>> = []
      for (const [i, decision] of decisions.entries()) {
        const command = commands[i]
        if (command === undefined) return Effect.die(new Error(`no command for decision ${i}`))
        if (decision._tag === "Refuse") {
          results.push(Result.fail(decision.error))
        } else if (decision._tag === "Sell") {
          results.push(Result.succeed({ receipt: record(command, decision.allocation, decision.stock), replayed: false }))
        } else {
          const first = decision._tag === "ReplaySale" ? results[decision.index] : undefined
          const orderId = first !== undefined && Result.isSuccess(first)
            ? first.success.receipt.order.id
            : tables.idempotency.get(scopeOf(command) ?? "")?.orderId
          const receipt = orderId === undefined ? undefined : receiptOf(tables, orderId)
          if (receipt === undefined) return Effect.die(new Error(`idempotency record of command ${i} points at no order`))
          results.push(Result.succeed({ receipt, replayed: true }))
        }
      }
      for (const type of stock.ticketTypes.values()) tables.ticketTypes.set(type.id, type)
      return Effect.succeed({ results, stock })
    }

    // The store's transaction holds everything: locked from its first step.
    const purchaseMany = Effect.fn("InMemoryTicketInventory.purchaseMany")(
      (commands: ReadonlyArray<PurchaseCommand>, options?: PurchaseManyOptions) =>
        store.transaction(Effect.andThen(options?.onLocked ?? Effect.void, Effect.suspend(() => sell(commands))))
    )
    return TicketInventory.of({ purchase: purchaseAsBatch(purchaseMany), purchaseMany })
  })
)
