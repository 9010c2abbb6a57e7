import { Effect, Exit, Redacted, Scope } from "effect"
import { startEmbeddedPostgres } from "@ticketmania/adapters-pg"

// A PostgreSQL cluster of a test's own, for faults that take the whole server down: stopping it
// (fast shutdown), starting it again on the same port and data, or crashing it. Never the run's
// shared test server. Durable (fsync on), so a crash shows what a real one would keep.

/** A running cluster of our own. */
export interface Cluster {
  readonly url: string
  readonly adminUrl: string
  readonly port: number
  /** Fast shutdown (SIGINT to the postmaster): sessions are ended, the server stops. */
  readonly stop: () => Promise<void>
}

/** Starts (or starts again, given the same `dataDir` and `port`) a cluster in `dataDir`. */
export const startCluster = async (dataDir: string, port?: number): Promise<Cluster> => {
  const scope = await Effect.runPromise(Scope.make())
  const info = await Effect.runPromise(
    Scope.provide(startEmbeddedPostgres({ dataDir, database: "ticketmania", ...(port === undefined ? {} : { port }) }), scope)
  )
  return {
    url: Redacted.value(info.url),
    adminUrl: Redacted.value(info.adminUrl),
    port: info.port,
    stop: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}
