/**
 * @ticketmania/adapters-pg — the PostgreSQL adapters of the TicketMania storage ports: users,
 * events, the locked purchase (`TicketInventory`), the mail outbox; forward-only migrations run
 * under an advisory lock; pool configuration from the environment; and an embedded PostgreSQL
 * for running without a server. Test helpers live in `@ticketmania/adapters-pg/testing`.
 */

// Layers: storage ports, migrations, connection
export { PgAdaptersLive, PgStorageLive } from "./layers.ts"
export { migrate, MigrationsLive } from "./migrate.ts"
export { pruneIdempotencyKeys } from "./maintenance.ts"
export { DatabaseLive, pgClientLayer } from "./database.ts"
export { DatabaseSettingsConfig, parseMillis, PgTimeouts } from "./config.ts"
export type { DatabaseSettings, PgTimeoutSettings } from "./config.ts"

// One layer per port, for composing a subset
export { PgTicketInventory } from "./inventory/PgTicketInventory.ts"
export { PgEventRepository } from "./repositories/PgEventRepository.ts"
export { PgMailOutbox } from "./repositories/PgMailOutbox.ts"
export { PgUserRepository } from "./repositories/PgUserRepository.ts"

// Embedded PostgreSQL
export { EmbeddedPostgres, EmbeddedPostgresError, startEmbeddedPostgres } from "./embedded/EmbeddedPostgres.ts"
export type { EmbeddedPostgresInfo, EmbeddedPostgresOptions } from "./embedded/EmbeddedPostgres.ts"

// Operations: readiness, connection usage, migration status
export { connectionUsage, type ConnectionUsage, databaseAnswers } from "./operations/health.ts"
export { type AppliedMigration, migrationStatus, type MigrationStatus } from "./operations/migrationStatus.ts"
