// The report: a Markdown table on stdout (pasteable into BENCHMARKS.md) with details below it,
// and the full result as JSON in bench/results/latest.json.
import { mkdir, writeFile } from "node:fs/promises"
import { dirname } from "node:path"
import type { FlashSaleResult } from "../scenarios/flashSale.ts"
import type { LastSeatsResult } from "../scenarios/lastSeats.ts"
import type { OrderSizeResult } from "../scenarios/orderSize.ts"
import type { ReadResult } from "../scenarios/reads.ts"
import type { CpuSummary } from "./cpuProfile.ts"
import type { Machine } from "./machine.ts"
import type { StatementStats } from "./statements.ts"
import type { WaitProfile } from "./waits.ts"

export interface BenchResult {
  readonly startedAt: string
  readonly mode: "quick" | "full"
  readonly machine: Machine
  readonly serviceEnv: Record<string, string>
  flashSale?: FlashSaleResult
  lastSeats?: LastSeatsResult
  reads?: { readonly results: ReadonlyArray<ReadResult>; readonly statements?: ReadonlyArray<StatementStats> }
  orderSize?: ReadonlyArray<OrderSizeResult>
  cpuProfile?: CpuSummary
}

const n0 = (x: number) => Math.round(x).toLocaleString("en-US")
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : n0(x)} ms`
const ratio = (x: number | null) => (x === null ? "n/a" : `**${x.toFixed(2)}**`)
const pct = (x: number) => `${Math.round(x * 100)}%`
const waitsText = (w: WaitProfile) => w.map((x) => `${x.state} ${pct(x.share)}`).join(", ")

const statementLines = (title: string, list: ReadonlyArray<StatementStats> | undefined) =>
  list === undefined
    ? []
    : [
      "",
      `${title} (pg_stat_statements, by total time):`,
      ...list.map((s) => `  ${s.totalMs.toFixed(0).padStart(7)} ms  ${String(s.calls).padStart(7)} calls  ${s.meanMs.toFixed(3)} ms/call  ${s.query}`)
    ]

/** The report as text. */
export const formatReport = (r: BenchResult): string => {
  const m = r.machine
  const lines = [
    `TicketMania bench (${r.mode}), ${r.startedAt}`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.kernel}, load ${m.loadAverage}; Node ${m.node}; ${m.postgres}`,
    `pgbench: ${m.pgbench}`,
    "",
    "| scenario | ours | baseline (same run) | ratio | target |",
    "|---|---|---|---|---|"
  ]
  const f = r.flashSale
  if (f !== undefined) {
    const base = f.baseline.tps === null ? "pgbench unavailable" : `pgbench ${n0(f.baseline.tps)} tx/s (best: ${f.baseline.clients} client(s))`
    lines.push(
      `| Flash sale: ${f.buyers} buyers, 1 ticket/request, ${Math.round(f.seconds)} s | ${n0(f.purchasesPerSecond)} purchases/s, p50 ${ms(f.p50)}, p99 ${ms(f.p99)} | ${base} | ${ratio(f.ratio)} | ≥ 0.6, p99 < 100 ms |`,
      `| Flash sale: oversold / consistent | ${f.oversold} / ${f.consistent ? "yes" : "**NO**"} | | | 0 / yes |`
    )
  }
  const l = r.lastSeats
  if (l !== undefined) {
    lines.push(
      `| Last seats: ${n0(l.buyers)} buyers, ${l.seats} seats | sold out in ${ms(l.sellOutMs)}, all answered in ${ms(l.allAnsweredMs)}; ${l.sold} sold | | | exactly ${l.seats}: ${l.exact ? "yes" : "**NO**"} |`
    )
  }
  for (const x of r.reads?.results ?? []) {
    const cpu = (v: number | null) => (v === null ? "" : `, ${n0(v)} µs CPU/req`)
    lines.push(
      `| GET ${x.path} (${n0(x.bytes)} B), 64 connections | ${n0(x.ours.rps)} req/s, p99 ${ms(x.ours.p99)}${cpu(x.ours.cpuMicros)} | node:http ${n0(x.bare.rps)} req/s, p99 ${ms(x.bare.p99)}${cpu(x.bare.cpuMicros)} | ${ratio(x.ratio)} | ≥ 0.5, p99 < 20 ms |`
    )
  }
  if (r.orderSize !== undefined) {
    const text = r.orderSize.map((o) => `${o.tickets}: mean ${ms(o.mean)}, p99 ${ms(o.p99)}`).join("; ")
    const growth = r.orderSize.map((o) => `${o.growth.toFixed(2)}x`).join(" / ")
    lines.push(`| Order size (tickets: latency), one buyer | ${text} | | ${growth} | far below linear |`)
  }
  if (f !== undefined) {
    lines.push("", `Flash sale, service sessions: ${waitsText(f.waits)}`)
    lines.push(`Flash sale, replies: ${JSON.stringify(f.statuses)}, connection errors ${f.errors}`)
    for (const run of f.baseline.runs) {
      lines.push(`pgbench ${run.clients} client(s): ${n0(run.tps)} tx/s, p50 ${ms(run.p50)}, p99 ${ms(run.p99)}; ${waitsText(run.waits)}`)
    }
  }
  if (l !== undefined) lines.push(`Last seats, replies: ${JSON.stringify(l.statuses)}; sold-out p99 ${ms(l.soldOutP99)}`)
  lines.push(...statementLines("Flash sale statements", f?.statements), ...statementLines("Read statements", r.reads?.statements))
  if (r.cpuProfile !== undefined) {
    lines.push("", `Service CPU profile (${r.cpuProfile.file}), by area: ${r.cpuProfile.areas.map((a) => `${a.name} ${pct(a.share)}`).join(", ")}`)
    lines.push("Top functions (self time):", ...r.cpuProfile.functions.map((x) => `  ${pct(x.share).padStart(4)}  ${x.name}`))
  }
  return lines.join("\n")
}

export const writeJson = async (file: string, r: BenchResult) => {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, `${JSON.stringify(r, null, 2)}\n`)
}
