import { assert, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Schema } from "effect"
import { SqlClient, SqlError } from "effect/sql"
import { IdempotencyKey, Receipt, TicketInventory } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand, uniqueEmail } from "@ticketmania/testing"
import { PgTimeouts } from "../src/config.ts"
import { awaitLockWaiters, holdInOtherSession } from "./sessions.ts"
import { DB_TIMEOUT, TestStorage } from "./support.ts"

const encodeReceipt = Schema.encodeUnknownEffect(Schema.toCodecJson(Receipt))
const count = (sql: SqlClient.SqlClient, table: "orders" | "tickets" | "mail_outbox" | "idempotency_keys", email: string) =>
  Effect.map(
    table === "idempotency_keys"
      ? sql<{ readonly n: bigint }>`SELECT count(*) AS n FROM idempotency_keys k JOIN orders o ON o.id = k.order_id
          WHERE o.buyer_email = ${email}`
      : table === "mail_outbox"
      ? sql<{ readonly n: bigint }>`SELECT count(*) AS n FROM mail_outbox WHERE recipient = ${email}`
      : sql<{ readonly n: bigint }>`SELECT count(*) AS n FROM ${sql(table)} WHERE buyer_email = ${email}`,
    (rows) => Number(rows[0]?.n ?? -1)
  )

const oneType = Effect.fn("oneType")(function*(totalQty: number) {
  const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty, price: 1500 }] })
  const [type] = event.ticketTypes
  return type ?? (yield* Effect.die(new Error("fixture event without ticket type")))
})

layer(TestStorage(), { excludeTestServices: true, timeout: DB_TIMEOUT })("PgTicketInventory", (it) => {
  it.effect("writes order, tickets, sold count, key and confirmation together, as the receipt says", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const type = yield* oneType(10)
      const buyer = yield* makeUser("Bo")
      const email = uniqueEmail("writes")
      const key = IdempotencyKey.make(`w-${type.id}`)
      const { receipt } = yield* (yield* TicketInventory).purchase(
        yield* purchaseCommand([line(type, 3, email)], { userId: buyer.id, idempotency: { key, fingerprint: "f" } })
      )
      const [order] = yield* sql<{ readonly total_amount: bigint; readonly user_id: bigint }>`
        SELECT total_amount, user_id FROM orders WHERE id = ${receipt.order.id}`
      assert.deepStrictEqual([order?.total_amount, order?.user_id], [4500n, BigInt(buyer.id)])
      const tickets = yield* sql<{ readonly id: bigint; readonly code: string }>`
        SELECT id, code FROM tickets WHERE order_id = ${receipt.order.id} ORDER BY id`
      assert.deepStrictEqual(tickets.map((t) => [Number(t.id), t.code]), receipt.tickets.map((t) => [t.id, t.code]))
      const [stock] = yield* sql<{ readonly sold_qty: number }>`SELECT sold_qty FROM ticket_types WHERE id = ${type.id}`
      assert.strictEqual(stock?.sold_qty, 3)
      const [remembered] = yield* sql<{ readonly scope: string; readonly kept: boolean }>`
        SELECT scope, expires_at - created_at >= interval '24 hours' AS kept FROM idempotency_keys WHERE key = ${key}`
      assert.deepStrictEqual([remembered?.scope, remembered?.kept], [`user:${buyer.id}`, true])
      assert.strictEqual(yield* count(sql, "mail_outbox", email), 1)
    }))

  it.effect("leaves no trace of a refused purchase", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const type = yield* oneType(2)
      const email = uniqueEmail("refused")
      const idempotency = { key: IdempotencyKey.make(`r-${type.id}`), fingerprint: "f" }
      const error = yield* Effect.flip((yield* TicketInventory).purchase(
        yield* purchaseCommand([line(type, 3, email)], { idempotency })
      ))
      assert.strictEqual(error._tag, "SoldOut")
      for (const table of ["orders", "tickets", "mail_outbox", "idempotency_keys"] as const) {
        assert.strictEqual(yield* count(sql, table, email), 0, table)
      }
      const [stock] = yield* sql<{ readonly sold_qty: number }>`SELECT sold_qty FROM ticket_types WHERE id = ${type.id}`
      assert.strictEqual(stock?.sold_qty, 0)
    }))

  it.effect("replays a retry with the very receipt of the first reply, selling and mailing once", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const inventory = yield* TicketInventory
      const type = yield* oneType(10)
      const email = uniqueEmail("replay")
      const idempotency = { key: IdempotencyKey.make(`p-${type.id}`), fingerprint: "same" }
      const first = yield* inventory.purchase(yield* purchaseCommand([line(type, 2, email)], { idempotency }))
      const again = yield* inventory.purchase(yield* purchaseCommand([line(type, 2, email)], { idempotency }))
      assert.deepStrictEqual([first.replayed, again.replayed], [false, true])
      assert.deepStrictEqual(yield* encodeReceipt(again.receipt), yield* encodeReceipt(first.receipt))
      assert.deepStrictEqual(
        [yield* count(sql, "orders", email), yield* count(sql, "tickets", email), yield* count(sql, "mail_outbox", email)],
        [1, 2, 1]
      )
    }))

  it.effect("keeps keys apart per buyer: a guest's key does not collide with a user's", () =>
    Effect.gen(function*() {
      const inventory = yield* TicketInventory
      const type = yield* oneType(10)
      const user = yield* makeUser()
      const key = IdempotencyKey.make(`s-${type.id}`)
      const guest = yield* inventory.purchase(yield* purchaseCommand([line(type, 1)], { idempotency: { key, fingerprint: "g" } }))
      const member = yield* inventory.purchase(
        yield* purchaseCommand([line(type, 2)], { userId: user.id, idempotency: { key, fingerprint: "u" } })
      )
      assert.deepStrictEqual([guest.replayed, member.replayed], [false, false])
      assert.notStrictEqual(guest.receipt.order.id, member.receipt.order.id)
    }))

  it.effect("frees a key once its record has expired", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const inventory = yield* TicketInventory
      const type = yield* oneType(10)
      const key = IdempotencyKey.make(`e-${type.id}`)
      const old = yield* inventory.purchase(yield* purchaseCommand([line(type, 1)], { idempotency: { key, fingerprint: "a" } }))
      yield* sql`UPDATE idempotency_keys SET created_at = created_at - interval '25 hours',
        expires_at = expires_at - interval '25 hours' WHERE key = ${key}`
      const fresh = yield* inventory.purchase(yield* purchaseCommand([line(type, 2)], { idempotency: { key, fingerprint: "b" } }))
      assert.isFalse(fresh.replayed)
      const [record] = yield* sql<{ readonly order_id: bigint }>`SELECT order_id FROM idempotency_keys WHERE key = ${key}`
      assert.deepStrictEqual([Number(record?.order_id), old.receipt.order.id !== fresh.receipt.order.id], [
        fresh.receipt.order.id,
        true
      ])
    }))

  it.effect("answers IdempotencyInProgress at once while another session holds the key", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const inventory = yield* TicketInventory
      const type = yield* oneType(10)
      const idempotency = { key: IdempotencyKey.make(`i-${type.id}`), fingerprint: "f" }
      const release = yield* holdInOtherSession(
        sql,
        sql`SELECT pg_advisory_xact_lock(hashtext('guest'), hashtext(${idempotency.key}))`
      )
      const blocked = yield* Effect.flip(inventory.purchase(yield* purchaseCommand([line(type, 1)], { idempotency })))
      assert.strictEqual(blocked._tag, "IdempotencyInProgress")
      yield* release
      const after = yield* inventory.purchase(yield* purchaseCommand([line(type, 1)], { idempotency }))
      assert.isFalse(after.replayed)
    }))

  it.effect("decides against the event as it is when the inventory lock is granted, not as it was before the wait", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const type = yield* oneType(10)
      const release = yield* holdInOtherSession(sql, sql`SELECT id FROM ticket_types WHERE id = ${type.id} FOR UPDATE`)
      const purchase = yield* (yield* TicketInventory).purchase(yield* purchaseCommand([line(type, 1)])).pipe(
        Effect.exit,
        Effect.forkChild
      )
      yield* awaitLockWaiters(sql, 1)
      // The sale closes while the purchase waits. Either the change waits for the purchase (which
      // holds the event) and the purchase sells, or the change commits first and the purchase sees it.
      const closing = yield* sql`UPDATE events SET status = 'draft' WHERE id = ${type.eventId}`.pipe(Effect.forkChild)
      const closedFirst = yield* Effect.raceFirst(
        Effect.as(Fiber.join(closing), true),
        Effect.as(awaitLockWaiters(sql, 2), false)
      )
      yield* release
      const outcome = yield* Fiber.join(purchase)
      yield* Fiber.join(closing)
      if (closedFirst) {
        const error = Exit.isFailure(outcome) ? Cause.findErrorOption(outcome.cause) : undefined
        assert.strictEqual(error?._tag === "Some" ? error.value._tag : "sold", "NotOnSale", "the change was seen")
      } else {
        assert.isTrue(Exit.isSuccess(outcome), "sold before the change")
      }
    }))

  it.effect("fails fast, as a defect, when the inventory row stays locked past lock_timeout", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const type = yield* oneType(10)
      const release = yield* holdInOtherSession(sql, sql`SELECT id FROM ticket_types WHERE id = ${type.id} FOR UPDATE`)
      const exit = yield* (yield* TicketInventory).purchase(yield* purchaseCommand([line(type, 1)])).pipe(
        Effect.provideService(PgTimeouts, { lockTimeoutMillis: 200, statementTimeoutMillis: 10_000 }),
        Effect.exit
      )
      yield* release
      assert.isTrue(Exit.isFailure(exit))
      const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      assert.isTrue(SqlError.isSqlError(defect) && defect.reason._tag === "LockTimeoutError", String(defect))
      const [stock] = yield* sql<{ readonly sold_qty: number }>`SELECT sold_qty FROM ticket_types WHERE id = ${type.id}`
      assert.strictEqual(stock?.sold_qty, 0)
    }))
})
