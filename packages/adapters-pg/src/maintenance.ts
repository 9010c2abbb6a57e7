import { DateTime, Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Deletes idempotency records past their expiry (kept at least 24 hours), at most `batch` per
 * statement so a large backlog never holds locks or bloats one transaction. Returns how many it
 * deleted. Run it periodically (any instance; concurrent runs skip each other's rows).
 */
export const pruneIdempotencyKeys = Effect.fn("pruneIdempotencyKeys")(function*(batch = 1_000) {
  const sql = yield* SqlClient.SqlClient
  const now = DateTime.toDateUtc(yield* DateTime.now)
  let total = 0
  for (;;) {
    const rows = yield* sql<{ readonly n: bigint }>`
      WITH doomed AS (
        SELECT scope, key FROM idempotency_keys WHERE expires_at <= ${now}
        LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ), deleted AS (
        DELETE FROM idempotency_keys k USING doomed d WHERE k.scope = d.scope AND k.key = d.key RETURNING 1
      )
      SELECT count(*) AS n FROM deleted`.pipe(Effect.orDie)
    const n = Number(rows[0]?.n ?? 0)
    total += n
    if (n < batch) return total
  }
})
