import { Effect, Layer, Redacted } from "effect"
import { PgClient } from "@effect/sql-pg"
import { Reactivity } from "effect/reactivity"
import { randomBytes } from "node:crypto"
import { pgClientLayer } from "../database.ts"
import { MigrationsLive } from "../migrate.ts"

/** Options of a test database. */
export interface TestDatabaseOptions {
  /** Pool size of the client on the new database (default 10). */
  readonly poolMax?: number
}

const urlWithDatabase = (serverUrl: string, database: string): Redacted.Redacted<string> => {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return Redacted.make(url.toString())
}

/**
 * A fresh, empty database on the server `serverUrl` points at (any database of it, used for
 * CREATE/DROP DATABASE), with a random name; dropped — connections and all — when the scope
 * closes. Gives the new database's URL.
 */
export const makeTestDatabase = Effect.fn("makeTestDatabase")(function*(serverUrl: string) {
  const admin = yield* PgClient.make({ url: Redacted.make(serverUrl), maxConnections: 1 }).pipe(
    Effect.provide(Reactivity.layer)
  )
  const name = `ticketmania_test_${randomBytes(6).toString("hex")}`
  yield* Effect.acquireRelease(
    admin.unsafe(`CREATE DATABASE ${name}`),
    () => admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(Effect.ignore)
  )
  return urlWithDatabase(serverUrl, name)
})

/**
 * `PgClient` and `SqlClient` on a fresh, migrated database of the server at `serverUrl` (one per
 * build of the layer, so each test file is isolated), dropped after. For other packages' tests:
 * `testDatabaseLayer(inject("ticketmaniaDatabaseUrl"))`.
 */
export const testDatabaseLayer = (serverUrl: string, options: TestDatabaseOptions = {}) =>
  MigrationsLive.pipe(Layer.provideMerge(Layer.unwrap(Effect.gen(function*() {
    const url = yield* makeTestDatabase(serverUrl)
    return pgClientLayer(url, { poolMax: options.poolMax ?? 10, connectTimeoutMillis: 10_000 })
  }))))
