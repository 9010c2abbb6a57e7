import { Effect, Exit, Layer, ManagedRuntime, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { pgClientLayer } from "@ticketmania/adapters-pg"
import { makeTestDatabase } from "@ticketmania/adapters-pg/testing"

// Direct SQL access for the tests: fresh databases for the services, and a client that reads what
// was really stored (the invariants are checked against the tables, not against the API).

/** A small SQL client on one database. */
export interface Sql {
  readonly query: <Row extends object>(text: string, params?: ReadonlyArray<unknown>) => Promise<ReadonlyArray<Row>>
  readonly close: () => Promise<void>
}

/**
 * A client on `url` (pool of `poolMax`). Its connections carry the application name
 * `ticketmania` like the service's own, so fault injection must tell them apart by database.
 */
export const openSql = (url: string, poolMax = 2): Sql => {
  const runtime = ManagedRuntime.make(
    Layer.fresh(pgClientLayer(Redacted.make(url), { poolMax, connectTimeoutMillis: 10_000 }))
  )
  return {
    query: <Row extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
      runtime.runPromise(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        return yield* sql.unsafe<Row>(text, params)
      })),
    close: () => runtime.dispose()
  }
}

/** A fresh, empty database on the test server (the service migrates it), dropped by `drop`. */
export const freshDatabase = async (serverUrl: string) => {
  const scope = await Effect.runPromise(Scope.make())
  const url = Redacted.value(await Effect.runPromise(Scope.provide(makeTestDatabase(serverUrl), scope)))
  const name = new URL(url).pathname.slice(1)
  return { url, name, drop: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}
