import { assert, layer } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Exit, Layer, Scope } from "effect"
import { PgClient } from "@effect/sql-pg"
import { Reactivity } from "effect/reactivity"
import { SqlClient } from "effect/sql"
import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseLive } from "../src/database.ts"
import { startEmbeddedPostgres } from "../src/embedded/EmbeddedPostgres.ts"
import { DB_TIMEOUT } from "./support.ts"

// A private directory (0700, like a home directory): as root, the server runs as `postgres` and
// still has to reach its data dir inside.
const tempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "ticketmania-embedded-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/** Starts the cluster in `dataDir`, runs `use` on a client of its database, stops it. */
const withCluster = <A>(dataDir: string, use: (sql: SqlClient.SqlClient) => Effect.Effect<A, unknown>) =>
  Effect.scoped(Effect.gen(function*() {
    const pg = yield* startEmbeddedPostgres({ dataDir })
    const sql = yield* PgClient.make({ url: pg.url, maxConnections: 1 })
    return yield* use(sql)
  }))

layer(Reactivity.layer, { excludeTestServices: true, timeout: DB_TIMEOUT })("embedded PostgreSQL", (it) => {
  it.effect("initialises a cluster on first start, reuses it (and its data) after, and stops with the scope", () =>
    Effect.gen(function*() {
      const dataDir = join(yield* tempDir, "pg")
      yield* withCluster(dataDir, (sql) =>
        Effect.gen(function*() {
          yield* sql`CREATE TABLE kept (note text)`
          yield* sql`INSERT INTO kept VALUES ('survives a restart')`
        }))
      assert.isTrue(existsSync(join(dataDir, "PG_VERSION")))
      assert.isFalse(existsSync(join(dataDir, "postmaster.pid")), "the server must be stopped with its scope")
      const notes = yield* withCluster(dataDir, (sql) => sql<{ readonly note: string }>`SELECT note FROM kept`)
      assert.deepStrictEqual(notes.map((r) => r.note), ["survives a restart"])
      assert.isFalse(existsSync(join(dataDir, "postmaster.pid")))
    }))

  it.effect("backs DatabaseLive when DATABASE_URL is unset, in DATA_DIR/pg, database ticketmania", () =>
    Effect.gen(function*() {
      const dataDir = yield* tempDir
      const env = ConfigProvider.fromEnv({ env: { DATA_DIR: dataDir, DB_POOL_MAX: "2" } })
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(DatabaseLive, scope).pipe(
        Effect.provideService(ConfigProvider.ConfigProvider, env)
      )
      const sql = Context.get(context, SqlClient.SqlClient)
      const [row] = yield* sql<{ readonly db: string; readonly address: string }>`
        SELECT current_database() AS db, host(inet_server_addr()) AS address`
      assert.deepStrictEqual([row?.db, row?.address], ["ticketmania", "127.0.0.1"])
      assert.isTrue(existsSync(join(dataDir, "pg", "postmaster.pid")))
      yield* Scope.close(scope, Exit.void)
      assert.isFalse(existsSync(join(dataDir, "pg", "postmaster.pid")), "closing the layer stops the server")
    }))
})
