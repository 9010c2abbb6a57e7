import { assert, layer } from "@effect/vitest"
import { Context, DateTime, Effect, Layer } from "effect"
import { Reactivity } from "effect/reactivity"
import { PgClient } from "@effect/sql-pg"
import { SqlClient } from "effect/sql"
import { Email, MailMessage, MailOutbox } from "@ticketmania/domain"
import { PgMailOutbox } from "../src/repositories/PgMailOutbox.ts"
import { DB_TIMEOUT, TestDatabase } from "./support.ts"

const message = (to: string) =>
  new MailMessage({ kind: "welcome", to: Email.make(to), subject: "Hi", text: "hello", html: "<p>hello</p>" })

/** An outbox on its own pool: what another instance of the service would run. */
const otherInstance = Effect.gen(function*() {
  const pg = yield* PgClient.PgClient
  const client = yield* PgClient.make({ ...pg.config, maxConnections: 3 }).pipe(Effect.provide(Reactivity.layer))
  const context = yield* Layer.build(PgMailOutbox.pipe(Layer.provide(Layer.succeed(SqlClient.SqlClient, client))))
  return Context.get(context, MailOutbox)
})

layer(PgMailOutbox.pipe(Layer.provideMerge(TestDatabase())), { excludeTestServices: true, timeout: DB_TIMEOUT })(
  "PgMailOutbox",
  (it) => {
    it.effect("never gives one message to two instances claiming at the same time", () =>
      Effect.gen(function*() {
        const here = yield* MailOutbox
        const there = yield* otherInstance
        yield* Effect.forEach(Array.from({ length: 60 }, (_, i) => i), (i) => here.enqueue(message(`m${i}@example.test`)))
        const now = DateTime.add(yield* DateTime.now, { seconds: 1 })
        const batches = yield* Effect.forEach(
          Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? here : there)),
          (outbox) => outbox.claimDue(8, now, 60_000),
          { concurrency: "unbounded" }
        )
        const ids = batches.flat().map((e) => e.id)
        assert.strictEqual(ids.length, 60)
        assert.strictEqual(new Set(ids).size, 60)
      }))

    it.effect("records the outcome: sent time, attempts, last error, and failed for good on a null retry", () =>
      Effect.gen(function*() {
        const outbox = yield* MailOutbox
        const sql = yield* SqlClient.SqlClient
        yield* sql`DELETE FROM mail_outbox`
        yield* outbox.enqueue(message("ok@example.test"))
        yield* outbox.enqueue(message("bad@example.test"))
        const now = DateTime.add(yield* DateTime.now, { seconds: 1 })
        const claimed = yield* outbox.claimDue(10, now, 60_000)
        const ok = claimed.find((e) => e.message.to === "ok@example.test")
        const bad = claimed.find((e) => e.message.to === "bad@example.test")
        if (ok === undefined || bad === undefined) return yield* Effect.die(new Error("messages not claimed"))
        yield* outbox.markSent([ok], now)
        yield* outbox.markFailed(bad, "550 mailbox unavailable", null)
        const rows = yield* sql<{ readonly status: string; readonly attempts: number; readonly last_error: string | null; readonly sent: boolean }>`
          SELECT status, attempts, last_error, sent_at IS NOT NULL AS sent FROM mail_outbox ORDER BY id`
        assert.deepStrictEqual(rows.map((r) => [r.status, r.attempts, r.last_error, r.sent]), [
          ["sent", 1, null, true],
          ["failed", 1, "550 mailbox unavailable", false]
        ])
      }))
  }
)
