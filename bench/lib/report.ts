// The report: a Markdown table on stdout (pasteable into BENCHMARKS.md) with details below it,
// and the full result as JSON in bench/results/latest.json.
import { mkdir, writeFile } from "node:fs/promises"
import { dirname } from "node:path"
import type { FlashSaleResult } from "../scenarios/flashSale.ts"
import type { ScaleResult } from "../scenarios/flashScale.ts"
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
  scale?: ScaleResult
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

const modeName = (mode: "on" | "off") => (mode === "on" ? "coalescing on" : "coalescing off (before)")

/** The issue #9 rows of the table: sales/s against the serial ceiling, collapse, sold-out and login p99. */
const scaleRows = (x: ScaleResult | undefined): Array<string> => {
  if (x === undefined) return []
  const ceiling = x.ceiling?.tps ?? null
  const rows: Array<string> = []
  if (x.ceiling !== null) {
    const at64 = x.ceiling64 === null ? "" : `; ${n0(x.ceiling64.tps)}/s at 64 clients`
    rows.push(`| Serial ceiling: pgbench, one conditional UPDATE per sale | | ${n0(x.ceiling.tps)} sales/s at 1 client${at64} | 1.00 | |`)
  }
  for (const mode of ["on", "off"] as const) {
    const runs = x.flash.filter((f) => f.mode === mode)
    if (runs.length === 0) continue
    const text = runs.map((f) => `${n0(f.buyers)}: ${n0(f.salesPerSecond)}/s, p99 ${ms(f.p99)}`).join("; ")
    const ratios = runs.filter((f) => f.buyers !== 8).map((f) => ratio(ceiling === null ? null : f.salesPerSecond / ceiling)).join(" / ")
    rows.push(`| Flash sale, ${modeName(mode)}: buyers: sales/s, p99 | ${text} | ceiling | ${ratios} (64 / 1,000) | ≥ 1.0 (stretch 2.0), p99 < 250 ms |`)
    const eight = runs.find((f) => f.buyers === 8)
    const thousand = runs.find((f) => f.buyers === 1_000)
    if (eight !== undefined && thousand !== undefined) {
      rows.push(`| No collapse, ${modeName(mode)}: 1,000 buyers vs 8 | ${n0(thousand.salesPerSecond)} vs ${n0(eight.salesPerSecond)} sales/s | | ${ratio(thousand.salesPerSecond / Math.max(1, eight.salesPerSecond))} | ≥ 0.8 |`)
    }
  }
  for (const s of x.sellOut) {
    rows.push(`| Sell-out, ${modeName(s.mode)}: ${n0(s.buyers)} buyers, ${n0(s.stock)} seats; then 64 buyers | sold out in ${ms(s.soldOutMs)} (${s.left} left); then ${n0(s.soldOutReplies)} sold-out replies, p99 ${ms(s.soldOutP99)} | | | p99 < 20 ms |`)
  }
  for (const l of x.logins) {
    rows.push(`| ${LOGINS_TEXT}, ${modeName(l.mode)}: purchase p99 | ${ms(l.alone.p99)} alone → ${ms(l.withLogins.p99)}; ${n0(l.loginsPerSecond)} logins/s, refused p99 ${ms(l.refusedP99)} | | ${ratio(l.ratio)} | ≤ 1.5; refused < 10 ms |`)
  }
  const all = [...x.flash, ...x.sellOut]
  const bad = all.filter((r) => r.oversold > 0 || !r.stockConsistent || r.duplicateOrders > 0 || r.freshReplies !== r.ordersStored)
  const undersold = x.sellOut.reduce((n, s) => n + s.undersold, 0)
  rows.push(`| Invariants, every scale run: oversold / undersold / duplicate orders per key / sold = tickets = 201s | ${all.reduce((n, r) => n + r.oversold, 0)} / ${undersold} / ${all.reduce((n, r) => n + r.duplicateOrders, 0)} / ${bad.length === 0 ? "yes" : `**NO** (${bad.length} runs)`} | | | 0 / 0 / 0 / yes |`)
  return rows
}

const LOGINS_TEXT = "64 buyers + 200 logins"

/** Per-run details of the scale scenarios. */
const scaleDetails = (x: ScaleResult | undefined): Array<string> =>
  x === undefined ? [] : [
    "",
    ...x.flash.map((f) =>
      `Scale ${f.mode}, ${f.buyers} buyers: ${n0(f.salesPerSecond)} sales/s, p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, replies ${JSON.stringify(f.statuses)}, errors ${f.errors}; ` +
      `fresh 201s ${f.freshReplies} = orders ${f.ordersStored}, duplicates ${f.duplicateOrders}, consistent ${f.stockConsistent}`
    ),
    ...x.sellOut.map((s) => `Sell-out ${s.mode}: replies ${JSON.stringify(s.statuses)}; left ${s.left}, oversold ${s.oversold}, sold-out p50 ${ms(s.soldOutP50)}`),
    ...x.logins.map((l) => `Logins ${l.mode}: ${JSON.stringify(l.logins)}; sales/s ${n0(l.alone.salesPerSecond)} alone, ${n0(l.withLogins.salesPerSecond)} with logins`),
    ...(x.ceiling === null ? [] : [`pgbench ceiling 1 client: ${n0(x.ceiling.tps)}/s, p99 ${ms(x.ceiling.p99)}`]),
    ...(x.ceiling64 === null ? [] : [`pgbench ceiling 64 clients: ${n0(x.ceiling64.tps)}/s, p99 ${ms(x.ceiling64.p99)}`])
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
  lines.push(...scaleRows(r.scale))
  if (f !== undefined) {
    lines.push("", `Flash sale, service sessions: ${waitsText(f.waits)}`)
    const cpu = f.cpuMicros === null ? "" : `; service CPU ${n0(f.cpuMicros)} µs per purchase`
    lines.push(`Flash sale, replies: ${JSON.stringify(f.statuses)}, connection errors ${f.errors}${cpu}`)
    for (const run of f.baseline.runs) {
      lines.push(`pgbench ${run.clients} client(s): ${n0(run.tps)} tx/s, p50 ${ms(run.p50)}, p99 ${ms(run.p99)}; ${waitsText(run.waits)}`)
    }
  }
  if (l !== undefined) lines.push(`Last seats, replies: ${JSON.stringify(l.statuses)}; sold-out p99 ${ms(l.soldOutP99)}`)
  lines.push(...scaleDetails(r.scale))
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
