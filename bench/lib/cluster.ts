// The database every scenario runs against: a durable embedded PostgreSQL (fsync and synchronous
// commit on, as a deployment runs) started from the project's own `startEmbeddedPostgres` in a
// temporary directory made for this run and deleted after it, never the developer's `.data`.
// The service, pgbench and the bench's own checks all use one fresh database on it.
import { Effect, Exit, Redacted, References, Scope } from "effect"
import { PgClient } from "@effect/sql-pg"
import { Reactivity } from "effect/reactivity"
import { startEmbeddedPostgres } from "@ticketmania/adapters-pg"
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** A running cluster with the bench's database on it. */
export interface Cluster {
  /** URL of the bench's database (password included: pass it to children only). */
  readonly url: string
  /** A scratch directory inside the run's temporary directory, deleted with it. */
  readonly scratch: string
  /** Runs one SQL statement on the bench's database and returns its rows. */
  query<Row extends object>(text: string, params?: ReadonlyArray<unknown>): Promise<ReadonlyArray<Row>>
  /** The same on another database of the cluster (one connection to it, opened at the first call). */
  queryIn<Row extends object>(database: string, text: string, params?: ReadonlyArray<unknown>): Promise<ReadonlyArray<Row>>
  /** Stops the server and deletes the temporary directory. */
  stop(): Promise<void>
}

const quiet = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, References.MinimumLogLevel, "Warn")

/**
 * Starts the cluster and creates the database `bench`. With `statements`, the server loads
 * `pg_stat_statements` (it must be preloaded, so the cluster is started, configured and
 * restarted: `startEmbeddedPostgres` takes no server flags).
 */
export const startCluster = async (options: { readonly statements: boolean }): Promise<Cluster> => {
  const root = await mkdtemp(join(tmpdir(), "ticketmania-bench-"))
  // mkdtemp makes it 0700; as root the server runs as `postgres` and must get through it.
  await chmod(root, 0o755)
  const dataDir = join(root, "pg")
  let scope = await Effect.runPromise(Scope.make())
  const start = async () =>
    Effect.runPromise(quiet(Scope.provide(startEmbeddedPostgres({ dataDir, database: "bench" }), scope)))
  const cleanUp = async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await rm(root, { recursive: true, force: true })
  }
  try {
    let info = await start()
    if (options.statements) {
      await adminStatement(Redacted.value(info.adminUrl), "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
      await Effect.runPromise(Scope.close(scope, Exit.void))
      scope = await Effect.runPromise(Scope.make())
      info = await start()
    }
    const url = Redacted.value(info.url)
    const client = await Effect.runPromise(
      Scope.provide(PgClient.make({ url: info.url, maxConnections: 2, applicationName: "bench" }), scope).pipe(
        Effect.provide(Reactivity.layer)
      )
    )
    if (options.statements) await Effect.runPromise(client.unsafe("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
    const scratch = join(root, "scratch")
    await mkdir(scratch)
    const others = new Map<string, Promise<PgClient.PgClient>>()
    const clientOf = (database: string) => {
      const known = others.get(database)
      if (known !== undefined) return known
      const made = Effect.runPromise(
        Scope.provide(PgClient.make({ url: Redacted.make(url.replace(/\/bench$/, `/${database}`)), maxConnections: 1, applicationName: "bench" }), scope).pipe(
          Effect.provide(Reactivity.layer)
        )
      )
      others.set(database, made)
      return made
    }
    return {
      url,
      scratch,
      query: <Row extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
        Effect.runPromise(client.unsafe<Row>(text, params)),
      queryIn: async <Row extends object>(database: string, text: string, params: ReadonlyArray<unknown> = []) =>
        Effect.runPromise((await clientOf(database)).unsafe<Row>(text, params)),
      stop: cleanUp
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

const adminStatement = (url: string, text: string) =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(PgClient.make({ url: Redacted.make(url), maxConnections: 1 }), (sql) => sql.unsafe(text))).pipe(
      Effect.provide(Reactivity.layer)
    )
  )
