import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { Email, MailMessage, MailOutbox, type OutboxEntry } from "@ticketmania/domain"
import { recallKeys } from "../src/inventory/idempotency.ts"
import { PgMailOutbox } from "../src/repositories/PgMailOutbox.ts"
import { DB_TIMEOUT, TestDatabase } from "./support.ts"

// Statements are prepared once per connection, and PostgreSQL caches a plan for them. A plan
// cached while the tables are small (a fresh database) is kept as they grow until the next
// ANALYZE: the idempotency records and the outbox grow by a row per sale, so the lookups in them
// must read by key whatever the table's size when the plan was made.

/** Rows of `table` this transaction has read so far, by any scan. */
const rowsRead = (sql: SqlClient.SqlClient, table: string) =>
  Effect.map(
    sql<{ readonly n: bigint }>`SELECT pg_stat_get_xact_tuples_returned(${table}::regclass)
      + pg_stat_get_xact_tuples_fetched(${table}::regclass) AS n`,
    (rows) => Number(rows[0]?.n ?? -1)
  )

layer(PgMailOutbox.pipe(Layer.provideMerge(TestDatabase())), { excludeTestServices: true, timeout: DB_TIMEOUT })("lookups in tables that grow from empty", (it) => {
  it.effect("recall only the idempotency records asked for, with a plan made while the table was empty", () =>
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

  it.effect("settle only the messages asked for, after a plan was made while the outbox was empty", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const outbox = yield* MailOutbox
      const at = yield* DateTime.now
      const hello = new MailMessage({ kind: "welcome", to: Email.make("plans@example.test"), subject: "Hi", text: "hello", html: "<p>hello</p>" })
      const entry = (id: number, claim: string): OutboxEntry => ({ id, claim, attempts: 0, message: hello, dueAt: at })
      const read = yield* sql.withTransaction(Effect.gen(function*() {
        // More runs than PostgreSQL plans one by one before it settles on a cached plan.
        for (let i = 0; i < 8; i++) yield* outbox.markSent([entry(-1, "00000000-0000-4000-8000-000000000000")], at)
        const claimed = yield* sql<{ readonly id: bigint; readonly claim: string }>`
          INSERT INTO mail_outbox (kind, recipient, subject, body_text, body_html, status, claim_token)
          SELECT 'welcome', 'm' || n || '@example.test', 'Hi', 'hello', '<p>hello</p>', 'sending', gen_random_uuid()
          FROM generate_series(1, 5000) AS n
          RETURNING id, claim_token::text AS claim`
        const before = yield* rowsRead(sql, "mail_outbox")
        const sent = yield* outbox.markSent(claimed.slice(0, 3).map((c) => entry(Number(c.id), c.claim)), at)
        return { sent: sent.size, read: (yield* rowsRead(sql, "mail_outbox")) - before }
      }))
      assert.strictEqual(read.sent, 3)
      assert.isAtMost(read.read, 3)
    }))
})
