import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { call, createEvent, line, signUp, unique } from "./support/api.ts"
import { freshDatabase, openSql, type Sql } from "./support/db.ts"
import { buy, checkLedger, histogram, NO_VIOLATIONS, type Outcome, type PurchaseRecord, report, runBounded, violations } from "./support/load.ts"
import { loggedErrors, startService, type Service } from "./support/service.ts"

// R1 of the reliability plan: a flash sale while a superuser kills one of the service's database
// connections (pg_terminate_backend) every 100–300 ms. Buyers retry an indeterminate outcome (503
// or no reply) with the same Idempotency-Key, as a well-behaved client does. Afterwards every
// reply is checked against the tables: no 5xx but 503, every 201 stored, no order that no request
// accounts for, no double sale, inventory consistent; and the same process serves again.

const TOTAL = 650
const BUYERS = 600
const CONCURRENCY = 24
// Buyers arrive at a set pace (one every 7 ms: 600 over about 4 s) rather than as fast as the
// service answers: the faults must meet the load however fast the service has become.
const ARRIVAL_EVERY_MILLIS = 7

let db: Awaited<ReturnType<typeof freshDatabase>>
let admin: Sql
let service: Service

beforeAll(async () => {
  const serverUrl = inject("ticketmaniaDatabaseUrl")
  db = await freshDatabase(serverUrl)
  // On the server's maintenance database: never one of the connections it kills (other datname).
  admin = openSql(serverUrl, 1)
  service = await startService({ DATABASE_URL: db.url, DB_POOL_MAX: "6" })
})

afterAll(async () => {
  await service.stop()
  await admin.close()
  await db.drop()
})

/** Kills one random service backend every 100–300 ms until `stop` resolves; counts the kills. */
const killLoop = async (database: string, stop: Promise<void>) => {
  let stopped = false
  void stop.then(() => (stopped = true))
  let kills = 0
  let rounds = 0
  // Bounded: at most 400 rounds, whatever happens to `stop`.
  while (!stopped && rounds < 400) {
    rounds++
    const killed = await admin.query<{ readonly killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
       WHERE datname = $1 AND application_name = 'ticketmania' AND pid <> pg_backend_pid()
       ORDER BY random() LIMIT 1`,
      [database]
    )
    kills += killed.filter((k) => k.killed).length
    await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 200)))])
  }
  return kills
}

describe("connections killed mid-purchase (pg_terminate_backend under load)", () => {
  it("answers 201, 409 or 503 only, loses and duplicates nothing, and recovers by itself", async () => {
    const organizer = await signUp(service.base)
    const event = await createEvent(service.base, organizer.token, [
      { name: "General", total_qty: TOTAL, max_per_order: 4 },
      // Untouched by the load: proves the service sells again once the faults stop.
      { name: "Afterwards", total_qty: 10 }
    ])
    const [ticketTypeId = 0, afterwardsId = 0] = event.ticketTypeIds
    const records: Array<PurchaseRecord> = []
    const reads: Array<Outcome> = []
    const nonJson: Array<string> = []

    let finish = () => {}
    const loadDone = new Promise<void>((resolve) => (finish = resolve))
    const killer = killLoop(db.name, loadDone)
    const started = Date.now()
    const sent = await runBounded({ count: BUYERS, concurrency: CONCURRENCY, deadlineMillis: 90_000 }, async (i) => {
      const arrival = started + i * ARRIVAL_EVERY_MILLIS - Date.now()
      if (arrival > 0) await new Promise((resolve) => setTimeout(resolve, arrival))
      const record = await buy({
        base: service.base,
        eventId: event.id,
        ticketTypeId,
        quantity: 1 + (i % 4),
        buyerEmail: `kill-${i}@load.example`,
        idempotencyKey: unique("kill"),
        // A kill can fail a whole batch of coalesced purchases, so a buyer may meet several in a row.
        maxAttempts: 20,
        retryDelayMillis: 20,
        onReply: (reply) => {
          if (reply !== undefined && !reply.isJson) nonJson.push(`${reply.status} ${reply.text.slice(0, 200)}`)
        }
      })
      records.push(record)
      // Readers share the pool with buyers, so they meet dead connections too.
      if (i % 3 === 0) {
        const read = await call(service.base, `/v1/events/${event.id}`).catch(() => undefined)
        reads.push(read?.status ?? "network")
        if (read !== undefined && !read.isJson) nonJson.push(`${read.status} ${read.text.slice(0, 200)}`)
      }
    })
    finish()
    const kills = await killer
    const seconds = (Date.now() - started) / 1000

    const attempts = records.flatMap((r) => r.attempts)
    const sql = openSql(db.url)
    const check = await checkLedger(sql, event.id, records).finally(() => sql.close())

    // The service heals without a restart: the same process is ready and sells again.
    const readyAgain = await call(service.base, "/readyz")
    const after = await call(service.base, "/v1/buy-ticket", {
      json: { eventId: event.id, ticketTypes: [line(afterwardsId, 1, "after-the-faults@load.example")] }
    })

    report("terminate_backend", {
      seconds,
      purchases: sent,
      attempts: attempts.length,
      reads: reads.length,
      kills,
      attempts_by_status: histogram(attempts),
      final_by_status: histogram(records.map((r) => r.final)),
      reads_by_status: histogram(reads),
      retried_purchases: records.filter((r) => r.attempts.length > 1).length,
      // Sold by an attempt answered 503 (or not at all), found by the retry with the same key.
      sold_then_replayed: records.filter((r) => r.replayed).length,
      indeterminate_sold: check.indeterminateSold,
      inventory: check.inventory,
      after_faults: { readyz: readyAgain.status, purchase: after.status }
    })

    expect(sent).toBe(BUYERS)
    expect(kills, "faults were injected").toBeGreaterThan(10)
    const serverErrors = [...attempts, ...reads].filter((s) => s === "network" || (typeof s === "number" && s >= 500 && s !== 503))
    expect(serverErrors, `no 5xx other than 503, no dropped connection; logged: ${loggedErrors(service)}`).toEqual([])
    expect(nonJson).toEqual([])
    expect(records.filter((r) => r.final !== 201 && r.code !== "sold_out").map((r) => `${r.buyerEmail}: ${r.attempts.join(" ")}`)).toEqual([])
    expect(violations(check)).toEqual(NO_VIOLATIONS)
    expect(service.child.exitCode).toBeNull()
    expect(readyAgain.status).toBe(200)
    expect(after.status).toBe(201)
  }, 120_000)
})
