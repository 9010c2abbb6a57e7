import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { call, createEvent, line, signUp, unique } from "./support/api.ts"
import { type Cluster, startCluster } from "./support/cluster.ts"
import { openSql } from "./support/db.ts"
import { buy, checkLedger, histogram, NO_VIOLATIONS, type PurchaseRecord, report, runBounded, Tally, violations } from "./support/load.ts"
import { watchReadiness } from "./support/readiness.ts"
import { loggedErrors, scratchDir, type Service, startService } from "./support/service.ts"

// R2 of the reliability plan, on a PostgreSQL cluster of this test's own (fsync on): while buyers
// keep buying, the server is (1) stopped and started again (fast shutdown), then (2) crashed —
// one of its backends is killed with SIGKILL, so the postmaster ends every session and runs crash
// recovery. The same service process must answer 503 (never 500, never silence) while the
// database is away, report it on /readyz, come back by itself, and lose no sale it confirmed.

const CONCURRENCY = 12
const MAX_PURCHASES = 4_000

let scratch: Awaited<ReturnType<typeof scratchDir>>
let cluster: Cluster
let service: Service

beforeAll(async () => {
  scratch = await scratchDir()
  cluster = await startCluster(join(scratch.dir, "pg"))
  service = await startService({ DATABASE_URL: cluster.url, DB_CONNECT_TIMEOUT: "2s" })
})

afterAll(async () => {
  await service?.stop()
  await cluster?.stop()
  await scratch?.remove()
})

/** The pid of one of the service's backends on `cluster`. */
const serviceBackend = async (adminUrl: string): Promise<number> => {
  const admin = openSql(adminUrl, 1)
  try {
    const rows = await admin.query<{ readonly pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = 'ticketmania' AND application_name = 'ticketmania' LIMIT 1`
    )
    const pid = rows[0]?.pid
    if (pid === undefined) throw new Error("the service has no database session")
    return pid
  } finally {
    await admin.close()
  }
}

describe("PostgreSQL restarted and crashed under load", () => {
  it("answers 503 while it is away, /readyz goes 503 then 200, nothing confirmed is lost, no restart of the service", async () => {
    const organizer = await signUp(service.base)
    const event = await createEvent(service.base, organizer.token, [{ name: "General", total_qty: 100_000, max_per_order: 4 }])
    const ticketTypeId = event.ticketTypeIds[0] ?? 0
    const pid = service.child.pid
    const watch = watchReadiness(service.base)
    const tally = new Tally()
    const records: Array<PurchaseRecord> = []
    let stopLoad = false

    const load = runBounded({ count: MAX_PURCHASES, concurrency: CONCURRENCY, deadlineMillis: 90_000 }, async (i) => {
      if (stopLoad) return
      records.push(await buy({
        base: service.base,
        eventId: event.id,
        ticketTypeId,
        quantity: 1 + (i % 4),
        buyerEmail: `restart-${i}@load.example`,
        idempotencyKey: unique("restart"),
        // Up to ~15 s of retrying: longer than an outage lasts even on a loaded machine.
        maxAttempts: 60,
        retryDelayMillis: 250,
        onReply: (reply) => tally.add(reply?.status ?? "network")
      }))
    })

    try {
      await tally.awaitMore(201, 150, 30_000)

      // 1. Fast shutdown, an outage long enough for 40 requests to meet it, and a start on the same port.
      const wentDown = watch.waitFor(503, 15_000)
      const outage = tally.awaitMore(503, 40, 30_000)
      const stoppedAt = Date.now()
      await cluster.stop()
      const downSeen = await wentDown
      await outage
      cluster = await startCluster(join(scratch.dir, "pg"), cluster.port)
      const backAt = Date.now()
      // Generous bound, not a performance figure: a pool that never heals would fail here instead of hanging.
      const upSeen = await watch.waitFor(200, 20_000)
      await tally.awaitMore(201, 150, 30_000)

      // 2. Crash: SIGKILL one backend; the postmaster resets every session and recovers from the WAL.
      const crashedAt = Date.now()
      process.kill(await serviceBackend(cluster.adminUrl), "SIGKILL")
      await tally.awaitMore(201, 150, 30_000)
      const crashRecovered = Date.now()

      stopLoad = true
      await load

      const attempts = records.flatMap((r) => r.attempts)
      const sql = openSql(cluster.url)
      const check = await checkLedger(sql, event.id, records).finally(() => sql.close())
      const after = await call(service.base, "/v1/buy-ticket", {
        json: { eventId: event.id, ticketTypes: [line(ticketTypeId, 1, "after-the-restarts@load.example")] }
      })

      report("postgres_restart", {
        purchases: records.length,
        attempts: attempts.length,
        faults: ["fast shutdown + start on the same port", "backend SIGKILL -> crash recovery"],
        attempts_by_status: histogram(attempts),
        final_by_status: histogram(records.map((r) => r.final)),
        sold_then_replayed: records.filter((r) => r.replayed).length,
        indeterminate_sold: check.indeterminateSold,
        readyz_changes: watch.changes().map((c) => c.status),
        readyz_503_after_stop_ms: downSeen - stoppedAt,
        outage_ms: backAt - stoppedAt,
        readyz_200_after_db_back_ms: upSeen - backAt,
        sales_resumed_after_crash_ms: crashRecovered - crashedAt,
        inventory: check.inventory
      })

      expect(attempts.filter((s) => s !== 201 && s !== 503), `only 201 and 503, never a 500 or a dropped connection; logged ${loggedErrors(service)}`).toEqual([])
      expect(records.filter((r) => r.final !== 201).length, "every purchase went through in the end").toBe(0)
      expect(violations(check)).toEqual(NO_VIOLATIONS)
      expect(watch.changes().map((c) => c.status).slice(0, 3)).toEqual([200, 503, 200])
      expect(after.status).toBe(201)
      expect(service.child.pid).toBe(pid)
      expect(service.child.exitCode).toBeNull()
    } finally {
      stopLoad = true
      await load
      await watch.stop()
    }
  }, 150_000)
})
