import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Mail written in the same transaction as the change it reports, delivered later by a worker.
 * A claim sets `status = 'sending'` and a lease (`locked_until`); an expired lease makes the
 * message claimable again, so a crashed worker delays mail but never loses it.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE mail_outbox (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind            text NOT NULL,
      recipient       text NOT NULL,
      subject         text NOT NULL,
      body_text       text NOT NULL,
      body_html       text NOT NULL,
      status          text NOT NULL DEFAULT 'pending'
                      CONSTRAINT mail_outbox_status_valid CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
      attempts        integer NOT NULL DEFAULT 0 CONSTRAINT mail_outbox_attempts_non_negative CHECK (attempts >= 0),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      locked_until    timestamptz,
      last_error      text,
      created_at      timestamptz NOT NULL DEFAULT now(),
      sent_at         timestamptz
    )`
  // Only undelivered mail is ever scanned; sent and failed rows stay out of the index.
  yield* sql`
    CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id)
    WHERE status IN ('pending', 'sending')`
})
