import { Effect, Layer, Result } from "effect"
import { SqlClient } from "effect/sql"
import { allocateBatch, purchaseAsBatch, TicketInventory } from "@ticketmania/domain"
import type {
  BatchEntry,
  PurchaseBatchOutcome,
  PurchaseCommand,
  PurchaseManyOptions,
  PurchaseFailure,
  PurchaseOutcome,
  StoredKey
} from "@ticketmania/domain"
import { PgTimeouts } from "../config.ts"
import { retryTransient } from "../sql/errors.ts"
import { beginBatch, idempotencyScope, type ScopedKey, scopedKeyId } from "./idempotency.ts"
import { buildReceipt } from "./receipt.ts"
import { recordSales, type Sale } from "./recordSale.ts"
import { type LockedStock, lockStock } from "./stock.ts"

const NOTHING_LOCKED: LockedStock = {
  stock: { events: new Map(), ticketTypes: new Map() },
  remembered: new Map(),
  orderIds: [],
  ticketIds: []
}

const scopedKey = (command: PurchaseCommand): ScopedKey | null =>
  command.idempotency === null ? null : { scope: idempotencyScope(command.request), key: command.idempotency.key }

/**
 * `TicketInventory` on PostgreSQL. A batch of purchases (`purchaseMany`; `purchase` is a batch of
 * one) is one READ COMMITTED transaction of a handful of round trips, whatever its size —
 *  1. timeouts, and the advisory lock of every idempotency key (taken elsewhere: in progress);
 *  2. with keys: what they remember, with the receipts to replay (read before any inventory row
 *     is locked: they do not depend on the stock);
 *  3. lock the union of the ticket types in ascending id order (`FOR UPDATE`), and in the same
 *     statement read their events (`FOR SHARE`) and reserve the order and ticket ids;
 *  4. decide every purchase in arrival order with the domain's pure `allocateBatch`;
 *  5. write all orders, tickets, sold counts, idempotency records and mails in one statement.
 * Deadlocks and serialization failures re-run the whole transaction (3 attempts at most); other
 * SQL failures are defects of the whole batch, of which nothing was written.
 */
export const PgTicketInventory = Layer.effect(
  TicketInventory,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const attempt = Effect.fnUntraced(function*(commands: ReadonlyArray<PurchaseCommand>, onLocked: Effect.Effect<void>) {
      const keyed = commands.flatMap((c) => scopedKey(c) ?? [])
      const acquired = yield* beginBatch(sql, keyed, yield* PgTimeouts)
      const busy = new Set(keyed.filter((_, i) => !acquired[i]).map(scopedKeyId))
      const isBusy = (c: PurchaseCommand) => {
        const key = scopedKey(c)
        return key !== null && busy.has(scopedKeyId(key))
      }
      const latest = commands.reduce((t, c) => Math.max(t, c.now.epochMilliseconds), 0)
      const keys = { held: keyed.filter((_, i) => acquired[i]), now: new Date(latest) }
      const open = commands.filter((c) => !isBusy(c)).map((c) => c.request)
      const locked = open.length === 0 ? NOTHING_LOCKED : yield* lockStock(sql, open, keys)
      yield* onLocked
      const remembered = locked.remembered

      const entries = commands.map((c): BatchEntry => {
        const key = scopedKey(c)
        const found = key === null ? undefined : remembered.get(scopedKeyId(key))
        const stored: StoredKey = isBusy(c)
          ? { _tag: "Busy" }
          : found === undefined
          ? { _tag: "Free" }
          : { _tag: "Remembered", fingerprint: found.fingerprint }
        return { request: c.request, now: c.now, idempotency: c.idempotency, stored }
      })
      const { decisions, stock } = allocateBatch(entries, locked.stock)

      const results: Array<Result.Result<PurchaseOutcome, PurchaseFailure>> = []
      const sales: Array<Sale> = []
      let ticketsTaken = 0
      for (const [i, decision] of decisions.entries()) {
        const command = commands[i]
        if (command === undefined) return yield* Effect.die(new Error(`no command for decision ${i}`))
        switch (decision._tag) {
          case "Refuse":
            results.push(Result.fail(decision.error))
            break
          case "Sell": {
            const count = decision.allocation.tickets.length
            const orderId = locked.orderIds[sales.length]
            if (orderId === undefined) return yield* Effect.die(new Error(`no order id reserved for sale ${sales.length}`))
            const receipt = yield* buildReceipt(command, decision.allocation, orderId, locked.ticketIds.slice(ticketsTaken, ticketsTaken + count))
            ticketsTaken += count
            const key = scopedKey(command)
            sales.push({
              receipt,
              allocation: decision.allocation,
              idempotency: key === null || command.idempotency === null ? null : { ...command.idempotency, scope: key.scope },
              confirmation: command.confirmation(receipt, decision.stock)
            })
            results.push(Result.succeed({ receipt, replayed: false }))
            break
          }
          case "Replay": {
            const key = scopedKey(command)
            const receipt = key === null ? undefined : remembered.get(scopedKeyId(key))?.receipt
            if (receipt === undefined) return yield* Effect.die(new Error(`idempotency record of command ${i} points at no order`))
            results.push(Result.succeed({ receipt, replayed: true }))
            break
          }
          case "ReplaySale": {
            const first = results[decision.index]
            if (first === undefined || Result.isFailure(first)) return yield* Effect.die(new Error(`command ${i} replays no sale`))
            results.push(Result.succeed({ receipt: first.success.receipt, replayed: true }))
            break
          }
        }
      }
      if (sales.length > 0) yield* recordSales(sql, sales)
      return { results, stock } satisfies PurchaseBatchOutcome
    })

    const purchaseMany = Effect.fn("PgTicketInventory.purchaseMany")(
      (commands: ReadonlyArray<PurchaseCommand>, options?: PurchaseManyOptions) =>
        retryTransient(sql.withTransaction(attempt(commands, options?.onLocked ?? Effect.void))),
      Effect.catchTag("SqlError", (error) => Effect.die(error))
    )
    return TicketInventory.of({ purchase: purchaseAsBatch(purchaseMany), purchaseMany })
  })
)
