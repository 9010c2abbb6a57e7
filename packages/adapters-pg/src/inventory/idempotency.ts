import { Effect, Option, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { IdempotencyInProgress } from "@ticketmania/domain"
import type { Idempotency, PurchaseRequest } from "@ticketmania/domain"
import { rowDecoder } from "../sql/rows.ts"

/** Keys are kept at least this long (Stripe's and the contract's 24 hours). */
export const IDEMPOTENCY_TTL_MILLIS = 24 * 60 * 60 * 1000

/** Whose key it is: a signed-in user's keys never meet a guest's or another user's. */
export const idempotencyScope = (request: PurchaseRequest): string =>
  request.userId === null ? "guest" : `user:${request.userId}`

const Remembered = Schema.Struct({ fingerprint: Schema.String, orderId: Schema.Int })
const decodeRemembered = rowDecoder(Remembered)

/**
 * Opens a purchase transaction: sets its timeouts and, with a key, takes the key's advisory lock
 * with `pg_try_advisory_xact_lock` (64 bits: hashtext of scope and of key). Not getting it means a
 * request with the same key is running right now: `IdempotencyInProgress`, without waiting.
 */
export const beginPurchase = Effect.fnUntraced(function*(
  sql: SqlClient.SqlClient,
  scope: string,
  idempotency: Idempotency | null,
  timeouts: { readonly lockTimeoutMillis: number; readonly statementTimeoutMillis: number }
) {
  const key = idempotency?.key ?? null
  const [row] = yield* sql<{ readonly acquired: boolean }>`
    SELECT set_config('lock_timeout', ${String(timeouts.lockTimeoutMillis)}, true),
      set_config('statement_timeout', ${String(timeouts.statementTimeoutMillis)}, true),
      CASE WHEN ${key}::text IS NULL THEN true
        ELSE pg_try_advisory_xact_lock(hashtext(${scope}::text), hashtext(${key}::text)) END AS acquired`
  if (row?.acquired !== true) return yield* new IdempotencyInProgress()
})

/**
 * What the key remembers, read after its lock is held (so a first request that committed a moment
 * ago is seen). An expired record is deleted on the way, freeing the key for reuse.
 */
export const recall = Effect.fnUntraced(function*(
  sql: SqlClient.SqlClient,
  scope: string,
  idempotency: Idempotency,
  now: Date
) {
  const rows = yield* sql`
    WITH expired AS (
      DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${idempotency.key} AND expires_at <= ${now}
    )
    SELECT fingerprint, order_id AS "orderId" FROM idempotency_keys
    WHERE scope = ${scope} AND key = ${idempotency.key} AND expires_at > ${now}`
  const [first] = rows
  return first === undefined ? Option.none() : Option.some(yield* decodeRemembered(first))
})
