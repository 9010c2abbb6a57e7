import { Effect, Layer } from "effect"
import { Migrator, SqlClient, type SqlError } from "effect/sql"
import { migrations } from "./migrations/index.ts"

/**
 * Brings the schema up to date and returns the migrations it applied (`[id, name]`).
 *
 * Several instances may start at once: each first takes one transaction-scoped advisory lock, so
 * the second waits for the first to finish and then finds nothing left to do. Everything runs in
 * that one transaction (the Migrator's own transaction becomes a savepoint), so a failing
 * migration leaves the schema exactly as it was.
 */
export const migrate: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  Migrator.MigrationError | SqlError.SqlError,
  SqlClient.SqlClient
> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const run = Migrator.make({})({ loader: migrations })
  const applied = yield* sql.withTransaction(Effect.gen(function*() {
    yield* sql`SELECT pg_advisory_xact_lock(hashtextextended('@ticketmania/adapters-pg migrations', 0))`
    return yield* run
  }))
  if (applied.length > 0) {
    yield* Effect.logInfo("database migrated").pipe(
      Effect.annotateLogs("migrations", applied.map(([id, name]) => `${String(id).padStart(4, "0")}_${name}`).join(", "))
    )
  }
  return applied
}).pipe(Effect.withSpan("migrate"))

/** Runs `migrate` when built: place it before anything that uses the tables. */
export const MigrationsLive: Layer.Layer<never, Migrator.MigrationError | SqlError.SqlError, SqlClient.SqlClient> = Layer
  .effectDiscard(migrate)
