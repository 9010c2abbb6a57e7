/**
 * Test support for packages whose tests need PostgreSQL (`@ticketmania/adapters-pg/testing`).
 * In a package's vitest config: `globalSetup: ["test/globalSetup.ts"]` with that file containing
 * `export { default } from "@ticketmania/adapters-pg/testing/globalSetup"`; then in a test file
 * `testDatabaseLayer(inject("ticketmaniaDatabaseUrl"))` gives a fresh migrated database.
 */
export { makeTestDatabase, testDatabaseLayer } from "./testDatabase.ts"
export type { TestDatabaseOptions } from "./testDatabase.ts"
export { TEST_DATABASE_URL_KEY } from "./globalSetup.ts"
