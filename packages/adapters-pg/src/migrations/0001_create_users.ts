import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Users. Emails are stored lower-cased (the CHECK makes that a fact, not a convention) and are
 * unique regardless of case through the index on lower(email), which also serves lookups.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE users (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name          text NOT NULL CONSTRAINT users_name_not_blank CHECK (btrim(name) <> ''),
      email         text NOT NULL CONSTRAINT users_email_lower_case CHECK (email = lower(email)),
      password_hash text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now()
    )`
  yield* sql`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`
})
