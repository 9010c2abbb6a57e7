import { Effect, Layer, Result } from "effect"
import {
  allocate,
  type AllocationError,
  type EventSaleState,
  IdempotencyKeyReused,
  lockOrder,
  Order,
  OrderId,
  type PurchaseCommand,
  type PurchaseOutcome,
  Receipt,
  type SaleStock,
  Ticket,
  TicketId,
  TicketInventory,
  TicketType
} from "@ticketmania/domain"
import type { EventId, TicketTypeId } from "@ticketmania/domain"
import { InMemoryStore, type Tables } from "./InMemoryStore.ts"
import { insertOutboxRows } from "./outboxRows.ts"

/** The stock a request touches, read while holding the store's lock. */
const readStock = (tables: Tables, command: PurchaseCommand): SaleStock => {
  const ticketTypes = new Map<TicketTypeId, TicketType>()
  for (const id of lockOrder(command.request)) {
    const found = tables.ticketTypes.get(id)
    if (found !== undefined) ticketTypes.set(id, found)
  }
  const events = new Map<EventId, EventSaleState>()
  for (const line of command.request.lines) {
    const row = tables.events.get(line.eventId)
    if (row !== undefined) events.set(row.id, { id: row.id, title: row.title, status: row.status, startTime: row.startTime })
  }
  return { events, ticketTypes }
}

const receiptOf = (tables: Tables, orderId: OrderId): Receipt | undefined => {
  const order = tables.orders.get(orderId)
  return order === undefined
    ? undefined
    : new Receipt({ order, tickets: tables.tickets.filter((t) => t.orderId === orderId) })
}

/**
 * `TicketInventory` over the in-memory store: the same steps as the SQL adapter — idempotency
 * check, read stock, the domain's `allocate`, then all writes — under the store's single lock.
 */
export const InMemoryTicketInventory = Layer.effect(
  TicketInventory,
  Effect.gen(function*() {
    const store = yield* InMemoryStore
    const { tables } = store

    const sell = (
      command: PurchaseCommand
    ): Effect.Effect<PurchaseOutcome, AllocationError | IdempotencyKeyReused> => {
      const { request, idempotency, now } = command
      const scope = idempotency === null ? undefined : `${request.userId ?? "guest"}:${idempotency.key}`
      const remembered = scope === undefined ? undefined : tables.idempotency.get(scope)
      if (idempotency !== null && remembered !== undefined) {
        if (remembered.fingerprint !== idempotency.fingerprint) return Effect.fail(new IdempotencyKeyReused())
        const receipt = receiptOf(tables, remembered.orderId)
        return receipt === undefined
          ? Effect.die(new Error(`idempotency record points at missing order ${remembered.orderId}`))
          : Effect.succeed({ receipt, replayed: true })
      }
      const stock = readStock(tables, command)
      const decided = allocate(request, stock, now)
      if (Result.isFailure(decided)) return Effect.fail(decided.failure)
      const allocation = decided.success
      if (command.codes.length < allocation.tickets.length) {
        return Effect.die(new Error(`${allocation.tickets.length} tickets need codes, got ${command.codes.length}`))
      }

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
          new Ticket({
            ...t,
            id: TicketId.make(store.nextId("ticket")),
            orderId: order.id,
            userId: request.userId,
            status: "sold",
            code,
            createdAt: now
          })
        ]
      })
      tables.orders.set(order.id, order)
      tables.tickets.push(...tickets)
      for (const take of allocation.takes) {
        const type = stock.ticketTypes.get(take.ticketTypeId)
        if (type !== undefined) {
          tables.ticketTypes.set(type.id, new TicketType({ ...type, soldQty: type.soldQty + take.quantity }))
        }
      }
      if (scope !== undefined && idempotency !== null) {
        tables.idempotency.set(scope, { fingerprint: idempotency.fingerprint, orderId: order.id })
      }
      const receipt = new Receipt({ order, tickets })
      insertOutboxRows(store, [command.confirmation(receipt, stock)], now)
      return Effect.succeed({ receipt, replayed: false })
    }

    return TicketInventory.of({
      purchase: Effect.fn("InMemoryTicketInventory.purchase")((command: PurchaseCommand) =>
        store.transaction(Effect.suspend(() => sell(command)))
      )
    })
  })
)
