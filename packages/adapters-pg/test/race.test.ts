import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TicketInventory } from "@ticketmania/domain"
import type { PurchaseLine, TicketType } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand } from "@ticketmania/testing"
import { DB_TIMEOUT, TestStorage } from "./support.ts"

const BUYERS = 300
const POOL = 10

/** Tickets rows, distinct codes, and the stored sold count of one ticket type. */
const ledger = (sql: SqlClient.SqlClient, type: TicketType) =>
  Effect.map(
    sql<{ readonly tickets: bigint; readonly codes: bigint; readonly sold: number }>`
      SELECT (SELECT count(*) FROM tickets WHERE ticket_type_id = ${type.id}) AS tickets,
             (SELECT count(DISTINCT code) FROM tickets WHERE ticket_type_id = ${type.id}) AS codes,
             (SELECT sold_qty FROM ticket_types WHERE id = ${type.id}) AS sold`,
    ([row]) => ({ tickets: Number(row?.tickets), codes: Number(row?.codes), sold: row?.sold })
  )

const buyAll = (orders: ReadonlyArray<readonly [PurchaseLine, ...Array<PurchaseLine>]>) =>
  Effect.gen(function*() {
    const inventory = yield* TicketInventory
    const commands = yield* Effect.forEach(orders, (lines) => purchaseCommand(lines))
    return yield* Effect.forEach(commands, (c) => Effect.result(inventory.purchase(c)), { concurrency: "unbounded" })
  })

layer(TestStorage({ poolMax: POOL }), { excludeTestServices: true, timeout: DB_TIMEOUT })(
  `${BUYERS} buyers over a pool of ${POOL}`,
  (it) => {
    it.effect("sell exactly the last seats: sold count = ticket rows = stock, unique codes, the rest SoldOut", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 120, maxPerOrder: 10 }] })
        const [type] = event.ticketTypes
        if (type === undefined) return yield* Effect.die(new Error("fixture event without ticket type"))
        const early = yield* buyAll(Array.from({ length: 10 }, () => [line(type, 10)] as const))
        assert.isTrue(early.every((r) => r._tag === "Success"))

        const results = yield* buyAll(Array.from({ length: BUYERS }, () => [line(type, 1)] as const))
        const sold = results.filter((r) => r._tag === "Success")
        const refusals = results.flatMap((r) => (r._tag === "Failure" ? [r.failure] : []))
        assert.strictEqual(sold.length, 20)
        assert.strictEqual(refusals.length, BUYERS - 20)
        assert.isTrue(refusals.every((e) => e._tag === "SoldOut" && e.asked === 1 && e.left === 0))
        assert.deepStrictEqual(yield* ledger(sql, type), { tickets: 120, codes: 120, sold: 120 })
      }))

    it.effect("keep the sold count equal to the tickets issued for mixed order sizes, never above stock", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 200, maxPerOrder: 4 }] })
        const [type] = event.ticketTypes
        if (type === undefined) return yield* Effect.die(new Error("fixture event without ticket type"))
        const results = yield* buyAll(Array.from({ length: BUYERS }, (_, i) => [line(type, 1 + (i % 4))] as const))
        const issued = results.reduce((n, r) => n + (r._tag === "Success" ? r.success.receipt.tickets.length : 0), 0)
        const refusals = results.flatMap((r) => (r._tag === "Failure" ? [r.failure] : []))
        assert.isTrue(refusals.every((e) => e._tag === "SoldOut" && e.asked > e.left))
        const after = yield* ledger(sql, type)
        assert.deepStrictEqual(after, { tickets: issued, codes: issued, sold: issued })
        // Demand (750) far exceeds stock: only an order larger than what is left may be refused.
        assert.isTrue(issued > 200 - 4 && issued <= 200, `issued ${issued}`)
      }))

    it.effect("complete every crossing multi-type order ([A,B,C] in all orders) with no deadlock", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const event = yield* makeEvent((yield* makeUser()).id, {
          ticketTypes: [{ name: "A", totalQty: 1000 }, { name: "B", totalQty: 1000 }, { name: "C", totalQty: 1000 }]
        })
        const [a, b, c] = event.ticketTypes
        if (a === undefined || b === undefined || c === undefined) return yield* Effect.die(new Error("fixture"))
        const shapes: ReadonlyArray<readonly [PurchaseLine, ...Array<PurchaseLine>]> = [
          [line(a, 1), line(b, 1)],
          [line(b, 1), line(a, 1)],
          [line(c, 1), line(b, 1), line(a, 1)],
          [line(b, 1), line(c, 1), line(a, 1)],
          [line(a, 1), line(c, 1)],
          [line(c, 1), line(a, 1)]
        ]
        const orders = Array.from({ length: BUYERS }, (_, i) => shapes[i % shapes.length]).flatMap((o) => (o ? [o] : []))
        const results = yield* buyAll(orders)
        assert.isTrue(results.every((r) => r._tag === "Success"))
        const expected = [a, b, c].map((type) => orders.reduce((n, o) => n + o.filter((l) => l.ticketTypeId === type.id).length, 0))
        const sold = yield* Effect.forEach([a, b, c], (type) => ledger(sql, type))
        assert.deepStrictEqual(sold.map((s) => s.sold), expected)
        assert.deepStrictEqual(sold.map((s) => s.tickets), expected)
      }))
  }
)
