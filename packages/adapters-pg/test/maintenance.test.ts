import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { pruneIdempotencyKeys } from "../src/maintenance.ts"
import { DB_TIMEOUT, TestDatabase } from "./support.ts"

layer(TestDatabase(), { excludeTestServices: true, timeout: DB_TIMEOUT })("maintenance", (it) => {
  it.effect("prunes expired idempotency records in batches and keeps live ones", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [order] = yield* sql<{ readonly id: bigint }>`
        INSERT INTO orders (buyer_email, total_amount, currency) VALUES ('b@example.test', 0, 'NGN') RETURNING id`
      yield* sql`
        INSERT INTO idempotency_keys (scope, key, fingerprint, order_id, created_at, expires_at)
        SELECT 'guest', 'old-' || n, 'f', ${order?.id}, now() - interval '3 days', now() - interval '1 day'
        FROM generate_series(1, 5) AS n`
      yield* sql`
        INSERT INTO idempotency_keys (scope, key, fingerprint, order_id, created_at, expires_at)
        VALUES ('guest', 'live', 'f', ${order?.id}, now(), now() + interval '24 hours')`
      assert.strictEqual(yield* pruneIdempotencyKeys(2), 5)
      const left = yield* sql<{ readonly key: string }>`SELECT key FROM idempotency_keys`
      assert.deepStrictEqual(left.map((r) => r.key), ["live"])
      assert.strictEqual(yield* pruneIdempotencyKeys(), 0)
    }))
})
