import { Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"
import { NodeServices } from "@effect/platform-node"
import { DbPoolStats, HttpConfig, HttpServerLive, layerDotEnv, LoggerLive, ReadinessCheck } from "@ticketmania/adapters-http"
import { CachedEventPortsLive } from "@ticketmania/adapters-cache"
import { BcryptPasswordHasherLive, CryptoTicketCodes, MailerLive } from "@ticketmania/adapters-node"
import { connectionUsage, DatabaseLive, databaseAnswers, DatabaseSettingsConfig, PgAdaptersLive, PgStorageLive } from "@ticketmania/adapters-pg"
import { MailWorkerLive } from "./MailWorkerLive.ts"
import { PurchasingLive } from "./PurchasingLive.ts"

/** What `serve` was told on the command line. */
export interface ServeOptions {
  readonly migrate: boolean
}

// `/readyz` and the pool gauges of `/metrics` ask the same database the ports use.
const DatabaseProbesLive = Layer.mergeAll(
  Layer.effect(
    ReadinessCheck,
    Effect.map(Effect.context<SqlClient.SqlClient>(), (ctx) => ({ check: Effect.provide(databaseAnswers(), ctx) }))
  ),
  Layer.effect(
    DbPoolStats,
    Effect.gen(function*() {
      const { poolMax } = yield* DatabaseSettingsConfig
      const ctx = yield* Effect.context<SqlClient.SqlClient>()
      return { usage: Effect.map(Effect.provide(connectionUsage(), ctx), (u) => ({ ...u, waiting: 0, max: poolMax })) }
    })
  )
)

// Event reads are answered from memory; purchases keep the cached sold counts exact (see
// @ticketmania/adapters-cache). Below the cache, purchases are coalesced into batches behind a
// bounded queue (PurchasingLive). Every other port passes through.
const storage = (options: ServeOptions) =>
  CachedEventPortsLive.pipe(
    Layer.provideMerge(PurchasingLive),
    Layer.provideMerge(options.migrate ? PgStorageLive : PgAdaptersLive)
  )

// Built before the database, so its finalizer runs after the pool (and an embedded server) closed.
const announceDatabaseClosed = Layer.effectDiscard(Effect.addFinalizer(() => Effect.logInfo("shutdown: database closed")))

/**
 * The whole service, as a table of contents: the HTTP API and the mail worker, over the core's
 * ports on PostgreSQL (migrated first unless told not to) behind an event read cache and purchase
 * coalescing, bcrypt and SMTP, configured from the environment and `.env`, logging JSON lines.
 * Shutdown runs in reverse: the server drains, the mail worker finishes, the pool closes, an
 * embedded database stops last.
 */
export const makeServeLive = (options: ServeOptions) =>
  HttpServerLive.pipe(
    Layer.provide(MailWorkerLive),
    Layer.provide(Layer.mergeAll(
      storage(options),
      BcryptPasswordHasherLive,
      CryptoTicketCodes,
      MailerLive,
      DatabaseProbesLive
    )),
    Layer.provide(DatabaseLive.pipe(Layer.provide(announceDatabaseClosed))),
    Layer.provide(LoggerLive),
    Layer.provide(HttpConfig.layer),
    Layer.provide(layerDotEnv),
    Layer.provide(NodeServices.layer)
  )
