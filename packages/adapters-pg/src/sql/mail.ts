import type { MailMessage } from "@ticketmania/domain"
import type { SqlClient } from "effect/sql"

/**
 * The statement that queues `messages` in the outbox, due at `now`. It takes a fixed number of
 * parameters (one array per column) whatever the number of messages, so it is prepared once; and
 * it can stand alone or be embedded as a CTE in the statement that makes the change it reports.
 */
export const insertMail = (sql: SqlClient.SqlClient, messages: ReadonlyArray<MailMessage>, now: Date) =>
  sql`INSERT INTO mail_outbox (kind, recipient, subject, body_text, body_html, next_attempt_at, created_at)
    SELECT m.kind, m.recipient, m.subject, m.body_text, m.body_html, ${now}, ${now}
    FROM unnest(
      ${messages.map((m) => m.kind)}::text[], ${messages.map((m) => m.to)}::text[],
      ${messages.map((m) => m.subject)}::text[], ${messages.map((m) => m.text)}::text[],
      ${messages.map((m) => m.html)}::text[]
    ) WITH ORDINALITY AS m(kind, recipient, subject, body_text, body_html, n)
    ORDER BY m.n`
