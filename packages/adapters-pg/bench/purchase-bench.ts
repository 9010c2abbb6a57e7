// The purchase under contention: the shipped FOR UPDATE transaction against the conditional-UPDATE
// alternative (and both bare SQL patterns for reference), every buyer on one hot ticket type.
//
//   node scripts/node24.mjs node packages/adapters-pg/bench/purchase-bench.ts
//
// BENCH_DATABASE_URL: a server to create a scratch database on (default: a durable embedded
// cluster — fsync on — in a temporary directory). BENCH_SECONDS per run (default 4),
// BENCH_CONCURRENCY (default 1,8,64), BENCH_ROUNDS (default 2; patterns alternate in each round),
// BENCH_PATTERNS (only the patterns whose name contains it).
import { Effect, Layer, Redacted } from "effect"
import { PgClient } from "@effect/sql-pg"
import { Reactivity } from "effect/reactivity"
import { SqlClient } from "effect/sql"
import { EventRepository } from "@ticketmania/domain"
import { makeEvent, makeUser } from "@ticketmania/testing"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { startEmbeddedPostgres } from "../src/embedded/EmbeddedPostgres.ts"
import { PgAdaptersLive } from "../src/layers.ts"
import { migrate } from "../src/migrate.ts"
import { makeTestDatabase } from "../src/testing/testDatabase.ts"
import { patterns } from "./patterns.ts"
import type { Pattern } from "./patterns.ts"

const seconds = Number(process.env.BENCH_SECONDS ?? 4)
const levels = (process.env.BENCH_CONCURRENCY ?? "1,8,64").split(",").map(Number)
const rounds = Number(process.env.BENCH_ROUNDS ?? 2)
const only = process.env.BENCH_PATTERNS
const chosen = only === undefined ? patterns : patterns.filter((p) => p.name.includes(only))
const POOL = 10

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

/** `concurrency` buyers repeating `pattern` on a fresh hot ticket type for `seconds`. */
const measure = (pattern: Pattern, concurrency: number) =>
  Effect.gen(function*() {
    const event = yield* makeEvent((yield* makeUser()).id, { ticketTypes: [{ totalQty: 1_000_000, maxPerOrder: 10 }] })
    const [type] = event.ticketTypes
    if (type === undefined) return yield* Effect.die(new Error("no ticket type"))
    const run = yield* pattern.make
    const latencies: Array<number> = []
    const deadline = performance.now() + seconds * 1000
    const buyer = Effect.gen(function*() {
      while (performance.now() < deadline) {
        const started = performance.now()
        yield* run(type)
        latencies.push(performance.now() - started)
      }
    })
    yield* Effect.all(Array.from({ length: concurrency }, () => buyer), { concurrency: "unbounded" })
    const found = yield* (yield* EventRepository).findById(event.id)
    const sold = found._tag === "Some" ? (found.value.ticketTypes[0]?.soldQty ?? 0) : 0
    latencies.sort((a, b) => a - b)
    return { ops: latencies.length / seconds, tickets: sold / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
  })

const serverUrl = Effect.gen(function*() {
  const given = process.env.BENCH_DATABASE_URL
  if (given !== undefined && given !== "") return given
  const dir = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "ticketmania-bench-"))),
    (d) => Effect.promise(() => rm(d, { recursive: true, force: true }))
  )
  const pg = yield* startEmbeddedPostgres({ dataDir: join(dir, "pg"), database: "postgres" })
  return Redacted.value(pg.adminUrl)
})

const main = Effect.gen(function*() {
  const url = yield* makeTestDatabase(yield* serverUrl)
  const results = new Map<string, Array<{ ops: number; tickets: number; p50: number; p99: number }>>()
  for (const concurrency of levels) {
    const client = yield* PgClient.make({ url, maxConnections: Math.min(concurrency, POOL) })
    const services = PgAdaptersLive.pipe(Layer.provideMerge(Layer.succeed(SqlClient.SqlClient, client)))
    yield* migrate.pipe(Effect.provideService(SqlClient.SqlClient, client))
    for (let round = 0; round < rounds; round++) {
      // Alternate the order each round so drift on a shared machine hits every pattern alike.
      const order = round % 2 === 0 ? chosen : [...chosen].reverse()
      for (const pattern of order) {
        const result = yield* measure(pattern, concurrency).pipe(Effect.scoped, Effect.provide(services))
        const key = `${pattern.name} | ${concurrency}`
        results.set(key, [...(results.get(key) ?? []), result])
        yield* Effect.logInfo(`${key}: ${result.ops.toFixed(0)} ops/s, ${result.tickets.toFixed(0)} tickets/s`)
      }
    }
  }
  const fmt = (xs: ReadonlyArray<number>, digits: number) => xs.map((x) => x.toFixed(digits)).join(" / ")
  console.log(`\n| pattern | buyers | ops/s (rounds) | tickets/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|`)
  for (const [key, runs] of results) {
    console.log(`| ${key} | ${fmt(runs.map((r) => r.ops), 0)} | ${fmt(runs.map((r) => r.tickets), 0)} | ${
      fmt(runs.map((r) => r.p50), 1)
    } | ${fmt(runs.map((r) => r.p99), 1)} |`)
  }
})

Effect.runPromise(main.pipe(Effect.scoped, Effect.provide(Reactivity.layer))).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
