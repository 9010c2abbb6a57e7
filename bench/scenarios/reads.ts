// 3. Reads: GET /v1/events/:id and GET /v1/events at 64 connections, against a bare node:http
// server answering the same bytes from memory (what Node itself can do). Both are separate
// processes measured the same way, in alternating rounds (the shared machine's speed drifts from
// minute to minute): each figure is the median of the rounds, the ratio the median of the rounds'
// ratios. CPU per request comes from procfs.
import { startBare } from "../lib/bare.ts"
import { settle } from "../lib/context.ts"
import type { BenchContext } from "../lib/context.ts"
import { load } from "../lib/load.ts"
import type { Served } from "../lib/processes.ts"
import { resetStatements, topStatements } from "../lib/statements.ts"
import type { StatementStats } from "../lib/statements.ts"

const CONNECTIONS = 64

/** One server's figures for one path. */
export interface ReadFigures {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Server CPU per request, µs (null off Linux). */
  readonly cpuMicros: number | null
  readonly non200: number
}

export interface ReadResult {
  readonly path: string
  readonly bytes: number
  readonly ours: ReadFigures
  readonly bare: ReadFigures
  readonly ratio: number
  /** Each round's ratio. */
  readonly rounds: ReadonlyArray<number>
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** The median round of each figure. */
const medianFigures = (rounds: ReadonlyArray<ReadFigures>): ReadFigures => ({
  rps: median(rounds.map((r) => r.rps)),
  p50: median(rounds.map((r) => r.p50)),
  p99: median(rounds.map((r) => r.p99)),
  cpuMicros: rounds.some((r) => r.cpuMicros === null) ? null : median(rounds.map((r) => r.cpuMicros ?? 0)),
  non200: rounds.reduce((n, r) => n + r.non200, 0)
})

const measure = async (server: Served, path: string, seconds: number): Promise<ReadFigures> => {
  const url = `${server.base}${path}`
  await load({ url, connections: CONNECTIONS, seconds: 1 }) // warm-up: JIT, caches, pool
  await settle(500)
  const cpuBefore = server.cpuSeconds()
  const run = await load({ url, connections: CONNECTIONS, seconds })
  const cpuAfter = server.cpuSeconds()
  return {
    rps: run.rps,
    p50: run.p50,
    p99: run.p99,
    cpuMicros: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1e6) / run.requests,
    non200: run.requests - (run.statuses["200"] ?? 0) + run.errors
  }
}

/** Measures each of `paths` (an event, the listing) on the service, then on the bare server. */
export const reads = async (
  ctx: BenchContext,
  paths: ReadonlyArray<string>
): Promise<{ readonly results: ReadonlyArray<ReadResult>; readonly statements?: ReadonlyArray<StatementStats> }> => {
  const seconds = ctx.quick ? 4 : 5
  const rounds = ctx.quick ? 1 : 3
  const routes: Record<string, string> = {}
  for (const path of paths) routes[path] = await (await fetch(`${ctx.service.base}${path}`)).text()
  const bare = await startBare(routes, ctx.cluster.scratch)
  try {
    const results: Array<ReadResult> = []
    if (ctx.profile) await resetStatements(ctx.cluster)
    for (const path of paths) {
      ctx.say(`reads: GET ${path}, ${CONNECTIONS} connections, ${rounds} round(s) of ${seconds} s on the service and on bare node:http`)
      const ours: Array<ReadFigures> = []
      const base: Array<ReadFigures> = []
      for (let round = 0; round < rounds; round++) {
        // Alternate who goes first, so that a drift hits both alike.
        for (const side of round % 2 === 0 ? ["ours", "bare"] as const : ["bare", "ours"] as const) {
          if (side === "ours") ours.push(await measure(ctx.service, path, seconds))
          else base.push(await measure(bare, path, seconds))
          await settle()
        }
      }
      const ratios = ours.map((o, i) => o.rps / (base[i]?.rps ?? Number.NaN))
      results.push({
        path,
        bytes: Buffer.byteLength(routes[path] ?? ""),
        ours: medianFigures(ours),
        bare: medianFigures(base),
        ratio: median(ratios),
        rounds: ratios
      })
    }
    const statements = ctx.profile ? await topStatements(ctx.cluster) : undefined
    return { results, ...(statements === undefined ? {} : { statements }) }
  } finally {
    await bare.stop()
  }
}
