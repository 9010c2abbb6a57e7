import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { migrations } from "../migrations/index.ts"

/** A migration the schema has, with when it was applied (RFC 3339). */
export interface AppliedMigration {
  readonly id: number
  readonly name: string
  readonly appliedAt: string
}

/** Which migrations are applied and which are still pending. */
export interface MigrationStatus {
  readonly applied: ReadonlyArray<AppliedMigration>
  readonly pending: ReadonlyArray<{ readonly id: number; readonly name: string }>
}

interface Row {
  readonly migration_id: number
  readonly name: string
  readonly created_at: Date
}

/** Compares the migrations this build knows with those recorded in the database (none on an empty one). */
export const migrationStatus = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const known = yield* migrations
  const [table] = yield* sql<{ readonly exists: boolean }>`SELECT to_regclass('effect_sql_migrations') IS NOT NULL AS exists`
  const rows = table?.exists === true
    ? yield* sql<Row>`SELECT migration_id, name, created_at FROM effect_sql_migrations ORDER BY migration_id`
    : []
  const done = new Set(rows.map((r) => Number(r.migration_id)))
  const status: MigrationStatus = {
    applied: rows.map((r) => ({ id: Number(r.migration_id), name: r.name, appliedAt: new Date(r.created_at).toISOString() })),
    pending: known.filter(([id]) => !done.has(id)).map(([id, name]) => ({ id, name }))
  }
  return status
}).pipe(Effect.withSpan("migrationStatus"))
