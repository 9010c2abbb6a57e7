import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { MailMessage, MailOutbox } from "@ticketmania/domain"
import type { OutboxEntry } from "@ticketmania/domain"
import { insertMail } from "../sql/mail.ts"
import { rowDecoder } from "../sql/rows.ts"

const ClaimedRow = Schema.Struct({
  id: Schema.Int,
  attempts: Schema.Int,
  claim: Schema.String,
  dueAt: Schema.DateTimeUtc,
  message: MailMessage
})

/** Longest error text kept per message: enough to diagnose, bounded whatever a mailer returns. */
const MAX_ERROR_LENGTH = 2_000

/**
 * `MailOutbox` on PostgreSQL. Claims use `FOR UPDATE SKIP LOCKED` and a lease, so any number of
 * workers in any number of instances drain the outbox without ever claiming the same message.
 */
export const PgMailOutbox = Layer.effect(
  MailOutbox,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const decodeClaimed = rowDecoder(ClaimedRow)

    const enqueue = Effect.fn("PgMailOutbox.enqueue")(function*(message: MailMessage) {
      yield* insertMail(sql, [message], DateTime.toDateUtc(yield* DateTime.now)).pipe(Effect.orDie)
    })

    // Due: pending (or in a lapsed lease) and its time has come. SKIP LOCKED passes over rows
    // another worker is claiming at this very moment instead of waiting for them.
    const claimDue = Effect.fn("PgMailOutbox.claimDue")(function*(limit: number, now: DateTime.Utc, leaseMillis: number) {
      const at = DateTime.toDateUtc(now)
      const until = DateTime.toDateUtc(DateTime.add(now, { milliseconds: leaseMillis }))
      const rows = yield* sql`
        WITH due AS (
          SELECT id FROM mail_outbox
          WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${at}
            AND (locked_until IS NULL OR locked_until <= ${at})
          ORDER BY next_attempt_at, id
          LIMIT ${Math.max(0, Math.floor(limit))}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE mail_outbox m SET status = 'sending', locked_until = ${until}, claim_token = gen_random_uuid()
        FROM due WHERE m.id = due.id
        RETURNING m.id, m.attempts, m.claim_token::text AS claim, m.next_attempt_at AS "dueAt", json_build_object('kind', m.kind, 'to', m.recipient, 'subject', m.subject,
          'text', m.body_text, 'html', m.body_html) AS message`.pipe(Effect.orDie)
      const claimed = yield* Effect.forEach(rows, decodeClaimed)
      return claimed
        .map((row): OutboxEntry => ({ id: row.id, message: row.message, attempts: row.attempts, claim: row.claim, dueAt: row.dueAt }))
        .sort((a, b) => a.id - b.id)
    })

    // Only the current claim settles a message: the token changes with every claim. One
    // statement for the whole group, the (id, token) pairs passed as two arrays. Planned at each
    // call for the pairs it has (unprepared): a plan cached while the outbox was small joins the
    // pairs to the whole table, and the outbox grows by a row per sale.
    const markSent = Effect.fn("PgMailOutbox.markSent")(function*(entries: ReadonlyArray<OutboxEntry>, at: DateTime.Utc) {
      if (entries.length === 0) return new Set<number>()
      const rows = yield* sql<{ readonly id: number }>`
        UPDATE mail_outbox m SET status = 'sent', sent_at = ${DateTime.toDateUtc(at)}, attempts = m.attempts + 1,
          locked_until = NULL, last_error = NULL, claim_token = NULL
        FROM unnest(${entries.map((e) => e.id)}::bigint[], ${entries.map((e) => e.claim)}::uuid[]) AS c(id, claim)
        WHERE m.id = c.id AND m.claim_token = c.claim
        RETURNING m.id`.unprepared.pipe(Effect.orDie)
      return new Set(rows.map((row) => Number(row.id)))
    })

    // With no retry time the message is given up for good ('failed'); otherwise it is pending
    // again from `retryAt`, its lease released.
    const markFailed = Effect.fn("PgMailOutbox.markFailed")(
      function*(entry: OutboxEntry, error: string, retryAt: DateTime.Utc | null) {
        const retry = retryAt === null ? null : DateTime.toDateUtc(retryAt)
        const rows = yield* sql`
          UPDATE mail_outbox SET
            status = CASE WHEN ${retry}::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = COALESCE(${retry}::timestamptz, next_attempt_at),
            attempts = attempts + 1, locked_until = NULL, claim_token = NULL,
            last_error = ${error.slice(0, MAX_ERROR_LENGTH)}
          WHERE id = ${entry.id} AND claim_token = ${entry.claim}::uuid
          RETURNING id`.pipe(Effect.orDie)
        return rows.length === 1
      }
    )

    return MailOutbox.of({ enqueue, claimDue, markSent, markFailed })
  })
)
