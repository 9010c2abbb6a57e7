import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * What an idempotency key remembers: who used it (`scope`: `user:<id>` or `guest`), a fingerprint
 * of the request, and the order it produced; the receipt is rebuilt from that order. Kept at
 * least 24 hours (`expires_at`).
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE idempotency_keys (
      scope       text NOT NULL,
      key         text NOT NULL,
      fingerprint text NOT NULL,
      order_id    bigint NOT NULL REFERENCES orders (id),
      created_at  timestamptz NOT NULL DEFAULT now(),
      expires_at  timestamptz NOT NULL,
      PRIMARY KEY (scope, key),
      CONSTRAINT idempotency_keys_kept_a_day CHECK (expires_at >= created_at + interval '24 hours')
    )`
  yield* sql`CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at)`
  yield* sql`CREATE INDEX idempotency_keys_order_id ON idempotency_keys (order_id)`
})
