// `npm run bench:compare -- --base=<checkout> [--mode=keyed|sold-out] [--rounds=16] [--seconds=1.5] [--buyers=64] [--drain-mail]`
//
// Before/after on a machine whose speed drifts by 2× from one minute to the next: the service of
// another checkout (`--base`, which needs its own `npm install`) and this checkout's, each on a
// database of its own on one embedded PostgreSQL, take turns in short bursts of the same load,
// in alternating order, and the medians of the bursts are compared. Drift then meets both alike.
// Separate databases keep each service's mail worker on its own outbox.
//  - keyed: 64 closed-loop buyers, one ticket each, every request with its own Idempotency-Key
//    and every tenth a retry (as the scale scenarios);
//  - sold-out: 64 buyers of a sold-out type, without keys (the sold-out memo answers).
// With `--drain-mail`, every burst starts once both outboxes are empty: each service then meets
// only its own mail (without it, one service's confirmations may go out during the other's burst,
// which blurs a change to when mail is sent).
// Prints, per service, the median replies/s, service CPU per reply and p99, and the ratios.
// Running it with `--base` set to this very checkout shows how far two equal services drift apart.
import { mkdir } from "node:fs/promises"
import { join, resolve } from "node:path"
import { createEvent, organizerToken, typeNamed } from "./lib/api.ts"
import { latency, runClients } from "./lib/buyers.ts"
import type { Outgoing } from "./lib/buyers.ts"
import { startCluster } from "./lib/cluster.ts"
import type { Cluster } from "./lib/cluster.ts"
import type { Served } from "./lib/processes.ts"
import { outboxDrained } from "./lib/outbox.ts"
import { startService } from "./lib/service.ts"

const args = process.argv.slice(2)
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const base = option("base")
const mode = option("mode") ?? "keyed"
const rounds = Number(option("rounds") ?? 16)
const seconds = Number(option("seconds") ?? 1.5)
const buyers = Number(option("buyers") ?? 64)
const drainMail = args.includes("--drain-mail")
if (base === undefined || !["keyed", "sold-out"].includes(mode) || !(rounds > 0 && seconds > 0 && buyers > 0)) {
  console.error("usage: npm run bench:compare -- --base=<checkout> [--mode=keyed|sold-out] [--rounds=16] [--seconds=1.5] [--buyers=64] [--drain-mail]")
  process.exit(2)
}
const say = (line: string) => process.stderr.write(`· ${line}\n`)

interface Contender {
  readonly name: string
  readonly database: string
  readonly service: Served
  readonly next: (label: string) => (n: number) => Outgoing
}

interface Burst {
  readonly rate: number
  readonly cpuMicros: number
  readonly p99: number
}

const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

/** A service of `main` on its own database, with an organizer and the event its buyers buy from. */
const contender = async (cluster: Cluster, name: string, main: string, database: string): Promise<Contender> => {
  await cluster.query(`CREATE DATABASE ${database}`)
  const dataDir = join(cluster.scratch, database)
  await mkdir(dataDir)
  const service = await startService({ databaseUrl: cluster.url.replace(/\/bench$/, `/${database}`), dataDir, main })
  const token = await organizerToken(service.base)
  const stock = mode === "sold-out" ? 1 : 1_000_000
  const type = typeNamed(await createEvent(service.base, token, `Compare ${name}`, 30, [{ name: "Seat", price: 5_000, total_qty: stock }]), "Seat")
  const next = (label: string) => (n: number): Outgoing => {
    const id = n % 10 === 9 ? n - 1 : n
    const body = JSON.stringify([{
      eventId: type.event_id,
      ticketTypes: [{ ticketTypeId: type.id, quantity: 1, buyerEmail: `${label}-${id}@bench.test`, buyerPhone: "+2348012345678" }]
    }])
    return mode === "keyed" ? { path: "/v1/buy-ticket", body, headers: { "idempotency-key": `${label}-${id}` } } : { path: "/v1/buy-ticket", body }
  }
  return { name, database, service, next }
}

const burst = async (c: Contender, label: string): Promise<Burst> => {
  const before = c.service.cpuSeconds() ?? 0
  const run = await runClients({ base: c.service.base, clients: buyers, seconds, next: c.next(label) })
  const cpu = (c.service.cpuSeconds() ?? 0) - before
  const answered = run.replies.filter((r) => r.status === 201 || r.status === 409)
  return { rate: answered.length / run.seconds, cpuMicros: (cpu * 1e6) / Math.max(1, run.replies.length), p99: latency(run.replies).p99 }
}

const main = async () => {
  const cluster = await startCluster({ statements: false })
  const contenders: Array<Contender> = []
  try {
    say(`starting ${resolve(base)} (base) and this checkout (ours), each on its own database`)
    contenders.push(await contender(cluster, "base", resolve(base, "packages/cli/src/main.ts"), "bench_base"))
    contenders.push(await contender(cluster, "ours", resolve("packages/cli/src/main.ts"), "bench_ours"))
    for (const c of contenders) await runClients({ base: c.service.base, clients: buyers, seconds: 2, next: c.next(`warm-${c.name}`) })
    const bursts = new Map<string, Array<Burst>>(contenders.map((c) => [c.name, []]))
    for (let round = 0; round < rounds; round++) {
      say(`round ${round + 1} of ${rounds}`)
      for (const c of round % 2 === 0 ? contenders : [...contenders].reverse()) {
        await new Promise((r) => setTimeout(r, 300))
        if (drainMail) for (const other of contenders) await outboxDrained(cluster, () => undefined, other.database)
        bursts.get(c.name)?.push(await burst(c, `r${round}-${c.name}`))
      }
    }
    const summary = (name: string) => {
      const b = bursts.get(name) ?? []
      return { rate: median(b.map((x) => x.rate)), cpuMicros: median(b.map((x) => x.cpuMicros)), p99: median(b.map((x) => x.p99)) }
    }
    const [was, now] = [summary("base"), summary("ours")]
    console.log(`| ${mode}, ${buyers} buyers, ${rounds} × ${seconds} s alternating | replies/s | service CPU/reply | p99 |`)
    console.log("|---|---|---|---|")
    console.log(`| base (${base}) | ${was.rate.toFixed(0)} | ${was.cpuMicros.toFixed(0)} µs | ${was.p99.toFixed(1)} ms |`)
    console.log(`| ours | ${now.rate.toFixed(0)} | ${now.cpuMicros.toFixed(0)} µs | ${now.p99.toFixed(1)} ms |`)
    console.log(`| ours / base | **${(now.rate / was.rate).toFixed(2)}** | ${(now.cpuMicros / was.cpuMicros).toFixed(2)} | ${(now.p99 / was.p99).toFixed(2)} |`)
  } finally {
    for (const c of contenders) await c.service.stop().catch(() => undefined)
    await cluster.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
