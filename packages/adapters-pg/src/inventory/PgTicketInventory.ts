import { DateTime, Effect, Layer, Option, Result } from "effect"
import { SqlClient } from "effect/sql"
import { allocate, IdempotencyKeyReused, TicketInventory } from "@ticketmania/domain"
import type { PurchaseCommand, PurchaseOutcome } from "@ticketmania/domain"
import { PgTimeouts } from "../config.ts"
import { retryTransient } from "../sql/errors.ts"
import { beginPurchase, idempotencyScope, recall } from "./idempotency.ts"
import { buildReceipt, loadReceipt } from "./receipt.ts"
import { recordSale } from "./recordSale.ts"
import { lockStock } from "./stock.ts"

/**
 * `TicketInventory` on PostgreSQL: the purchase is one READ COMMITTED transaction of a handful of
 * round trips, whatever the order size —
 *  1. timeouts, and the idempotency key's advisory lock (`IdempotencyInProgress` if taken);
 *  2. with a key: replay the remembered receipt, or `IdempotencyKeyReused` for another request;
 *  3. lock the ticket types in ascending id order (`FOR UPDATE`), read the events' state;
 *  4. decide with the domain's pure `allocate` (its failure rolls everything back);
 *  5. write order, tickets, sold counts, idempotency record and confirmation mail in one statement.
 * Deadlocks and serialization failures re-run the whole transaction (3 attempts at most); other
 * SQL failures are defects.
 */
export const PgTicketInventory = Layer.effect(
  TicketInventory,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const attempt = Effect.fnUntraced(function*(command: PurchaseCommand) {
      const { request, idempotency } = command
      const scope = idempotencyScope(request)
      yield* beginPurchase(sql, scope, idempotency, yield* PgTimeouts)
      if (idempotency !== null) {
        const remembered = yield* recall(sql, scope, idempotency, DateTime.toDateUtc(command.now))
        if (Option.isSome(remembered)) {
          if (remembered.value.fingerprint !== idempotency.fingerprint) return yield* new IdempotencyKeyReused()
          const receipt = yield* loadReceipt(sql, remembered.value.orderId)
          return { receipt, replayed: true } satisfies PurchaseOutcome
        }
      }
      const { stock, orderId, ticketIds } = yield* lockStock(sql, request)
      const decided = allocate(request, stock, command.now)
      if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
      const receipt = yield* buildReceipt(command, decided.success, orderId, ticketIds)
      yield* recordSale(sql, {
        receipt,
        allocation: decided.success,
        idempotency: idempotency === null ? null : { ...idempotency, scope },
        confirmation: command.confirmation(receipt, stock)
      })
      return { receipt, replayed: false } satisfies PurchaseOutcome
    })

    return TicketInventory.of({
      purchase: Effect.fn("PgTicketInventory.purchase")(
        (command: PurchaseCommand) => retryTransient(sql.withTransaction(attempt(command))),
        Effect.catchTag("SqlError", (error) => Effect.die(error))
      )
    })
  })
)
