import { type DateTime, Result } from "effect"
import { IdempotencyInProgress, IdempotencyKeyReused } from "../errors.ts"
import { TicketType } from "../model/Event.ts"
import type { TicketTypeId } from "../model/ids.ts"
import { allocate, type Allocation, type AllocationError, lockOrder, type SaleStock } from "./allocate.ts"
import type { PurchaseRequest } from "./purchaseInput.ts"

/** What storage knew of a purchase's idempotency key when the batch began (read under its lock). */
export type StoredKey =
  /** No key, or no record of it: the purchase is decided on the stock. */
  | { readonly _tag: "Free" }
  /** Another transaction holds the key right now. */
  | { readonly _tag: "Busy" }
  /** An earlier request with this key sold; `fingerprint` tells whether this one is its retry. */
  | { readonly _tag: "Remembered"; readonly fingerprint: string }

/** One purchase of a batch, in arrival order. */
export interface BatchEntry {
  readonly request: PurchaseRequest
  /** The instant this purchase is decided at (sales close when an event starts). */
  readonly now: DateTime.Utc
  readonly idempotency: { readonly key: string; readonly fingerprint: string } | null
  readonly stored: StoredKey
}

/** How one purchase of a batch ends. */
export type BatchDecision =
  /** Sold: write `allocation`, decided against `stock` (the stock left by the purchases before it). */
  | { readonly _tag: "Sell"; readonly allocation: Allocation; readonly stock: SaleStock }
  | { readonly _tag: "Refuse"; readonly error: AllocationError | IdempotencyKeyReused | IdempotencyInProgress }
  /** A retry of a request sold before the batch: answer with the order storage remembers. */
  | { readonly _tag: "Replay" }
  /** A retry of the purchase at `index` of this same batch, which sold: answer with its receipt. */
  | { readonly _tag: "ReplaySale"; readonly index: number }

/** The decisions of a batch, one per entry in order, and the stock once every sale is taken. */
export interface BatchAllocation {
  readonly decisions: ReadonlyArray<BatchDecision>
  readonly stock: SaleStock
}

/** Ticket type ids any request of the batch touches, ascending: the order to lock them in. */
export const batchLockOrder = (requests: Iterable<PurchaseRequest>): ReadonlyArray<TicketTypeId> =>
  [...new Set([...requests].flatMap(lockOrder))].sort((a, b) => a - b)

// A key belongs to its buyer: a guest's key never meets a signed-in user's.
const keyIdentity = (entry: BatchEntry, key: string) => `${entry.request.userId ?? "guest"}\u0000${key}`

const afterSale = (stock: SaleStock, allocation: Allocation): SaleStock => {
  const ticketTypes = new Map(stock.ticketTypes)
  for (const take of allocation.takes) {
    const type = ticketTypes.get(take.ticketTypeId)
    if (type !== undefined) ticketTypes.set(type.id, new TicketType({ ...type, soldQty: type.soldQty + take.quantity }))
  }
  return { events: stock.events, ticketTypes }
}

/**
 * Decides a batch of purchases against one locked stock, exactly as if they had been made one
 * after another in arrival order: each is decided by `allocate` against the stock the purchases
 * before it left, and a key repeated within the batch behaves as a retry of its first use (a replay
 * once that sold, `IdempotencyKeyReused` for another request, decided afresh if it was refused).
 * One refused purchase never affects the others. Pure: every inventory adapter calls it under its
 * lock, so batches cannot differ between adapters, nor from purchases made one at a time.
 */
export const allocateBatch = (entries: ReadonlyArray<BatchEntry>, stock: SaleStock): BatchAllocation => {
  const decisions: Array<BatchDecision> = []
  const soldKeys = new Map<string, { readonly index: number; readonly fingerprint: string }>()
  let current = stock
  for (const [index, entry] of entries.entries()) {
    const { idempotency, stored } = entry
    if (stored._tag === "Busy") {
      decisions.push({ _tag: "Refuse", error: new IdempotencyInProgress() })
      continue
    }
    if (stored._tag === "Remembered") {
      const same = idempotency !== null && stored.fingerprint === idempotency.fingerprint
      decisions.push(same ? { _tag: "Replay" } : { _tag: "Refuse", error: new IdempotencyKeyReused() })
      continue
    }
    const identity = idempotency === null ? undefined : keyIdentity(entry, idempotency.key)
    const earlier = identity === undefined ? undefined : soldKeys.get(identity)
    if (earlier !== undefined) {
      const same = earlier.fingerprint === idempotency?.fingerprint
      decisions.push(same ? { _tag: "ReplaySale", index: earlier.index } : { _tag: "Refuse", error: new IdempotencyKeyReused() })
      continue
    }
    const decided = allocate(entry.request, current, entry.now)
    if (Result.isFailure(decided)) {
      decisions.push({ _tag: "Refuse", error: decided.failure })
      continue
    }
    decisions.push({ _tag: "Sell", allocation: decided.success, stock: current })
    if (identity !== undefined && idempotency !== null) soldKeys.set(identity, { index, fingerprint: idempotency.fingerprint })
    current = afterSale(current, decided.success)
  }
  return { decisions, stock: current }
}
