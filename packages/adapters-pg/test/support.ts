import { Layer } from "effect"
import { inject } from "vitest"
import { PgAdaptersLive } from "../src/layers.ts"
import { testDatabaseLayer } from "../src/testing/testDatabase.ts"
import type { TestDatabaseOptions } from "../src/testing/testDatabase.ts"

/** The URL of the test server (embedded, or TEST_DATABASE_URL). */
export const serverUrl = (): string => inject("ticketmaniaDatabaseUrl")

/** A fresh migrated database for this file: SqlClient and PgClient on it. */
export const TestDatabase = (options: TestDatabaseOptions = {}) => testDatabaseLayer(serverUrl(), options)

/** Every storage port over a fresh migrated database, with the SqlClient for inspecting rows. */
export const TestStorage = (options: TestDatabaseOptions = {}) =>
  PgAdaptersLive.pipe(Layer.provideMerge(TestDatabase(options)))

/** Timeout for suites that build a database: creating one is quick, a cold embedded start is not. */
export const DB_TIMEOUT = 120_000
