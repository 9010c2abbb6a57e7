import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Schedule } from "effect"
import { PgClient } from "@effect/sql-pg"
import { Reactivity } from "effect/reactivity"
import { SqlClient } from "effect/sql"
import type { Redacted } from "effect"
import { migrate } from "../src/migrate.ts"
import { makeTestDatabase } from "../src/testing/testDatabase.ts"
import { DB_TIMEOUT, serverUrl } from "./support.ts"

const ALL = [
  "1_create_users",
  "2_create_events",
  "3_create_orders_and_tickets",
  "4_create_idempotency_keys",
  "5_create_mail_outbox",
  "6_add_mail_claim_token"
]
const names = (applied: ReadonlyArray<readonly [number, string]>) => applied.map(([id, name]) => `${id}_${name}`)

// An independent pool on `url`: what one application instance would have.
const instance = (url: Redacted.Redacted<string>) => PgClient.make({ url, maxConnections: 2 })
const migrateWith = (client: SqlClient.SqlClient) => migrate.pipe(Effect.provideService(SqlClient.SqlClient, client))

const tables = (client: SqlClient.SqlClient) =>
  Effect.map(
    client<{ readonly tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    (rows) => rows.map((r) => r.tablename)
  )

layer(Reactivity.layer, { excludeTestServices: true, timeout: DB_TIMEOUT })("migrations", (it) => {
  it.effect("migrate an empty database, then find nothing to do on the next run", () =>
    Effect.gen(function*() {
      const client = yield* instance(yield* makeTestDatabase(serverUrl()))
      assert.deepStrictEqual(names(yield* migrateWith(client)), ALL)
      assert.deepStrictEqual(yield* migrateWith(client), [])
      assert.deepStrictEqual(yield* tables(client), [
        "effect_sql_migrations",
        "events",
        "idempotency_keys",
        "mail_outbox",
        "orders",
        "ticket_types",
        "tickets",
        "users"
      ])
      const recorded = yield* client<{ readonly n: bigint }>`SELECT count(*) AS n FROM effect_sql_migrations`
      assert.strictEqual(recorded[0]?.n, BigInt(ALL.length))
    }))

  it.effect("two instances starting together: one migrates, the other waits and finds it done", () =>
    Effect.gen(function*() {
      const url = yield* makeTestDatabase(serverUrl())
      const [a, b, holder] = yield* Effect.all([instance(url), instance(url), instance(url)])

      // Hold the migration lock from a third session, so both instances are seen queueing on it.
      const release = yield* Deferred.make<void>()
      const held = yield* Deferred.make<void>()
      const holding = yield* holder.withTransaction(Effect.gen(function*() {
        yield* holder`SELECT pg_advisory_xact_lock(hashtextextended('@ticketmania/adapters-pg migrations', 0))`
        yield* Deferred.succeed(held, undefined)
        yield* Deferred.await(release)
      })).pipe(Effect.forkChild)
      yield* Deferred.await(held)

      const both = yield* Effect.all([migrateWith(a), migrateWith(b)], { concurrency: 2 }).pipe(Effect.forkChild)
      const waiting = holder<{ readonly n: bigint }>`
        SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`
      yield* waiting.pipe(
        Effect.repeat({ until: (rows) => rows[0]?.n === 2n, schedule: Schedule.spaced("20 millis") }),
        Effect.timeout("30 seconds")
      )
      assert.deepStrictEqual(yield* tables(holder), [], "nothing may be created while the lock is held")

      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(holding)
      const [first, second] = yield* Fiber.join(both)
      assert.deepStrictEqual([names(first), names(second)].sort((x, y) => y.length - x.length), [ALL, []])
      const recorded = yield* a<{ readonly n: bigint }>`SELECT count(*) AS n FROM effect_sql_migrations`
      assert.strictEqual(recorded[0]?.n, BigInt(ALL.length))
    }))
})

