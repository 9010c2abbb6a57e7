import { Context, Effect, Layer } from "effect"
import type { Scope } from "effect"
import { SqlClient } from "effect/sql"
import { TicketInventory } from "@ticketmania/domain"
import type { TicketType } from "@ticketmania/domain"
import { line, purchaseCommand } from "@ticketmania/testing"
import { PgTicketInventory } from "../src/inventory/PgTicketInventory.ts"
import { ConditionalUpdateInventory } from "./ConditionalUpdateInventory.ts"

/** One measured operation on a hot ticket type: a purchase of `quantity`, or a bare SQL pattern. */
export interface Pattern {
  readonly name: string
  /** Tickets one successful operation sells. */
  readonly quantity: number
  /** Builds the operation once (layers included), then it runs many times. */
  readonly make: Effect.Effect<(type: TicketType) => Effect.Effect<void, unknown>, never, SqlClient.SqlClient | Scope.Scope>
}

const purchaseWith = (inventory: Layer.Layer<TicketInventory, never, SqlClient.SqlClient>, quantity: number) =>
  Effect.gen(function*() {
    const built = yield* Layer.build(inventory)
    const { purchase } = Context.get(built, TicketInventory)
    return (type: TicketType) => Effect.flatMap(purchaseCommand([line(type, quantity)]), purchase)
  })

const bare = (run: (sql: SqlClient.SqlClient, type: TicketType) => Effect.Effect<unknown, unknown>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return (type: TicketType) => Effect.asVoid(run(sql, type))
  })

/** The shipped adapter, the conditional-UPDATE alternative, and both bare SQL patterns. */
export const patterns: ReadonlyArray<Pattern> = [
  { name: "purchase, FOR UPDATE (shipped)", quantity: 1, make: purchaseWith(PgTicketInventory, 1) },
  { name: "purchase, conditional UPDATE", quantity: 1, make: purchaseWith(ConditionalUpdateInventory, 1) },
  { name: "purchase of 10, FOR UPDATE (shipped)", quantity: 10, make: purchaseWith(PgTicketInventory, 10) },
  {
    name: "bare: BEGIN; SELECT FOR UPDATE; UPDATE; COMMIT",
    quantity: 1,
    make: bare((sql, type) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* sql`SELECT sold_qty, total_qty FROM ticket_types WHERE id = ${type.id} FOR UPDATE`
        yield* sql`UPDATE ticket_types SET sold_qty = sold_qty + 1 WHERE id = ${type.id}`
      })))
  },
  {
    name: "bare: one conditional UPDATE … RETURNING",
    quantity: 1,
    make: bare((sql, type) =>
      sql`UPDATE ticket_types SET sold_qty = sold_qty + 1
        WHERE id = ${type.id} AND sold_qty + 1 <= total_qty RETURNING sold_qty`)
  }
]
