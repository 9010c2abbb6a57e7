import { Effect, Layer, Option } from "effect"
import type { Redacted } from "effect"
import { PgClient } from "@effect/sql-pg"
import { join } from "node:path"
import { DatabaseSettingsConfig, PgTimeouts } from "./config.ts"
import type { DatabaseSettings } from "./config.ts"
import { PgAdmission } from "./admission.ts"
import { EmbeddedPostgres } from "./embedded/EmbeddedPostgres.ts"

/**
 * A pooled `PgClient` (and `SqlClient`) on `url`. The pool opens connections lazily up to
 * `poolMax` and closes them all when the layer's scope closes. With `acquireTimeoutMillis` (> 0)
 * it also provides the `PgAdmission` that bounds the storage ports' wait for a connection.
 */
export const pgClientLayer = (
  url: Redacted.Redacted<string>,
  settings: Pick<DatabaseSettings, "poolMax" | "connectTimeoutMillis"> & { readonly acquireTimeoutMillis?: number }
) => {
  const client = PgClient.layer({
    url,
    maxConnections: settings.poolMax,
    connectTimeout: settings.connectTimeoutMillis,
    applicationName: "ticketmania"
  })
  const acquire = settings.acquireTimeoutMillis ?? 0
  return acquire > 0 ? Layer.merge(client, PgAdmission.bounded(settings.poolMax, acquire)) : client
}

/**
 * The application's database from the environment: `DATABASE_URL` when set, otherwise an embedded
 * PostgreSQL in `DATA_DIR/pg` started for the layer's lifetime (the pool closes before the server
 * stops). Also provides `PgTimeouts` from `DB_LOCK_TIMEOUT` / `DB_STATEMENT_TIMEOUT`.
 */
export const DatabaseLive = Layer.unwrap(Effect.gen(function*() {
  const settings = yield* DatabaseSettingsConfig
  const client = Option.match(settings.url, {
    onSome: (url) => pgClientLayer(url, settings),
    onNone: () =>
      Layer.unwrap(Effect.gen(function*() {
        const pg = yield* EmbeddedPostgres
        return pgClientLayer(pg.url, settings)
      })).pipe(
        Layer.provide(EmbeddedPostgres.layer({ dataDir: join(settings.dataDir, "pg") }))
      )
  })
  return Layer.merge(client, PgTimeouts.layerConfig)
}))
