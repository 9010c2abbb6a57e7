import { type DateTime, Result } from "effect"
import type { SoldOut } from "../errors.ts"
import type { TicketType } from "../model/Event.ts"
import type { TicketTypeId } from "../model/ids.ts"
import type { PurchaseCommand } from "../ports/TicketInventory.ts"
import type { PurchaseRequest } from "../rules/purchaseInput.ts"
import { allocate, type EventSaleState, lockOrder, type SaleStock } from "../rules/allocate.ts"

// Once a flash sale is over, every further buyer would lock the hot row only to read "none left".
// The memo remembers the ticket types a batch saw with nothing left (their row and their event's
// sale state, read under the lock) and answers such buyers from memory, for at most `ttlMillis`.
//
// Exactness: the answer is the domain's own `allocate` run against the remembered rows, and only a
// `SoldOut` is answered from memory — anything else (a validation error, an event that started, a
// type that is not in the memo) goes to the inventory. A purchase with an idempotency key always
// goes to the inventory, since it may be the retry of a request that sold.
//
// Staleness: if stock comes back (a type's total raised, a sale undone) through another instance
// or another program, this memo may answer "sold out" for up to `ttlMillis` after it did; through
// this instance it is forgotten at once, since every batch that sees availability clears it. The
// database still decides every sale, so the memo can refuse a buyer too early, never oversell.

interface Remembered {
  readonly type: TicketType
  readonly event: EventSaleState
  readonly until: number
}

/** At most this many types are remembered; the oldest go first. */
const MAX_ENTRIES = 10_000

/** A memo of sold-out ticket types; see above. `ttlMillis` 0 remembers nothing. */
export const makeSoldOutMemo = (ttlMillis: number) => {
  const entries = new Map<TicketTypeId, Remembered>()

  /** `answer` for a request without an idempotency key, decided as of `now` (`nowMillis`). */
  const answerRequest = (request: PurchaseRequest, now: DateTime.Utc, nowMillis: number): SoldOut | undefined => {
    if (entries.size === 0) return undefined
    const ticketTypes = new Map<TicketTypeId, TicketType>()
    const events = new Map<EventSaleState["id"], EventSaleState>()
    for (const id of lockOrder(request)) {
      const entry = entries.get(id)
      if (entry === undefined) return undefined
      if (entry.until <= nowMillis) {
        entries.delete(id)
        return undefined
      }
      ticketTypes.set(id, entry.type)
      events.set(entry.event.id, entry.event)
    }
    const decided = allocate(request, { events, ticketTypes }, now)
    return Result.isFailure(decided) && decided.failure._tag === "SoldOut" ? decided.failure : undefined
  }

  return {
    /** Learns from the stock a batch left: types with nothing left are remembered, others forgotten. */
    learn(stock: SaleStock, nowMillis: number): void {
      for (const type of stock.ticketTypes.values()) {
        const event = stock.events.get(type.eventId)
        entries.delete(type.id)
        if (ttlMillis > 0 && type.availableQty <= 0 && event !== undefined) {
          entries.set(type.id, { type, event, until: nowMillis + ttlMillis })
        }
      }
      for (const id of entries.keys()) {
        if (entries.size <= MAX_ENTRIES) break
        entries.delete(id)
      }
    },

    /** Whether any type is remembered (expired ones included, until asked for). */
    remembersAny(): boolean {
      return entries.size > 0
    },

    /** The `SoldOut` the inventory would answer, when every type the purchase wants is remembered. */
    answer(command: PurchaseCommand, nowMillis: number): SoldOut | undefined {
      return command.idempotency === null ? answerRequest(command.request, command.now, nowMillis) : undefined
    },

    answerRequest
  }
}

/** The memo's operations. */
export type SoldOutMemo = ReturnType<typeof makeSoldOutMemo>
