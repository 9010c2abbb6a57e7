// 3. Reads: GET /v1/events/:id and GET /v1/events at 64 connections, against a bare node:http
// server answering the same bytes from memory (what Node itself can do). Both are separate
// processes measured the same way, one right after the other; CPU per request comes from procfs.
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
}

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
  const seconds = ctx.quick ? 4 : 10
  const routes: Record<string, string> = {}
  for (const path of paths) routes[path] = await (await fetch(`${ctx.service.base}${path}`)).text()
  const bare = await startBare(routes, ctx.cluster.scratch)
  try {
    const results: Array<ReadResult> = []
    if (ctx.profile) await resetStatements(ctx.cluster)
    for (const path of paths) {
      ctx.say(`reads: GET ${path}, ${CONNECTIONS} connections, ${seconds} s on the service, then on bare node:http`)
      const ours = await measure(ctx.service, path, seconds)
      await settle()
      const base = await measure(bare, path, seconds)
      await settle()
      results.push({ path, bytes: Buffer.byteLength(routes[path] ?? ""), ours, bare: base, ratio: ours.rps / base.rps })
    }
    const statements = ctx.profile ? await topStatements(ctx.cluster) : undefined
    return { results, ...(statements === undefined ? {} : { statements }) }
  } finally {
    await bare.stop()
  }
}
