import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { recallKeys } from "../src/inventory/idempotency.ts"
import { DB_TIMEOUT, TestDatabase } from "./support.ts"

// The statements of a purchase batch are prepared once per connection, and PostgreSQL caches a
// plan for them. A plan cached while the tables are small (a fresh database) is kept as they grow
// until the next ANALYZE; so a lookup must read by key whatever the table's size at planning time.

/** Rows of `table` this transaction has read so far, by any scan. */
const rowsRead = (sql: SqlClient.SqlClient, table: string) =>
  Effect.map(
    sql<{ readonly n: bigint }>`SELECT pg_stat_get_xact_tuples_returned(${table}::regclass)
      + pg_stat_get_xact_tuples_fetched(${table}::regclass) AS n`,
    (rows) => Number(rows[0]?.n ?? -1)
  )

layer(TestDatabase(), { excludeTestServices: true, timeout: DB_TIMEOUT })("idempotency lookups", (it) => {
  it.effect("read only the records asked for, with a plan made while the table was empty", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const now = new Date()
      const guest = (key: string) => ({ scope: "guest", key })
      const recalled = yield* sql.withTransaction(Effect.gen(function*() {
        // The plan PostgreSQL would settle on after a few runs, made now, on the empty table.
        yield* sql`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`
        assert.strictEqual((yield* recallKeys(sql, [guest("k-1")], now)).size, 0)

        const [order] = yield* sql<{ readonly id: bigint }>`
          INSERT INTO orders (buyer_email, total_amount, currency) VALUES ('plans@example.test', 100, 'NGN') RETURNING id`
        yield* sql`
          INSERT INTO idempotency_keys (scope, key, fingerprint, order_id, created_at, expires_at)
          SELECT 'guest', 'k-' || n, 'f', ${order?.id ?? 0}, ${now}, ${now}::timestamptz + interval '1 day'
          FROM generate_series(1, 2000) AS n`
        const before = yield* rowsRead(sql, "idempotency_keys")
        const found = yield* recallKeys(sql, [guest("k-7"), guest("k-1999"), guest("unknown")], now)
        return { found, read: (yield* rowsRead(sql, "idempotency_keys")) - before }
      }))
      assert.deepStrictEqual([...recalled.found.keys()].sort(), ["guest\u0000k-1999", "guest\u0000k-7"])
      assert.isAtMost(recalled.read, 3)
    }))
})
