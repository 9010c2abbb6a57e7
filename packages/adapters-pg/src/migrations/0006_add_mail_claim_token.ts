import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Each claim of a message gets a fresh token, and only the holder of the current token may record
 * the outcome: a worker whose lease lapsed (a stalled send) can no longer overwrite what the next
 * claimer recorded.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE mail_outbox ADD COLUMN claim_token uuid`
})
