// 1. Flash sale: 64 buyers hammer one ticket type with plenty of stock, one ticket per request,
// against pgbench running the same purchase transaction straight on the same database (the
// database's own limit for this work). pgbench runs at several client counts — a hot row is
// fastest at few clients — and the best is the baseline, so the ratio is never flattered by a
// collapsed baseline (1 client: the serial ceiling; 10: the service's default pool; 64: the same
// concurrency as the buyers).
import { fileURLToPath } from "node:url"
import { createEvent, purchaseBody, typeNamed } from "../lib/api.ts"
import { settle } from "../lib/context.ts"
import type { BenchContext } from "../lib/context.ts"
import { load } from "../lib/load.ts"
import type { LoadResult } from "../lib/load.ts"
import { runPgbench } from "../lib/pgbench.ts"
import type { PgbenchResult } from "../lib/pgbench.ts"
import { resetStatements, topStatements } from "../lib/statements.ts"
import type { StatementStats } from "../lib/statements.ts"
import { sampleWaits } from "../lib/waits.ts"
import type { WaitProfile } from "../lib/waits.ts"

const SCRIPT = fileURLToPath(new URL("../purchase.pgbench.sql", import.meta.url))
const BUYERS = 64
const STOCK = 1_000_000
const PRICE = 5_000

export interface FlashSaleResult {
  readonly buyers: number
  readonly seconds: number
  readonly purchasesPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly statuses: Record<string, number>
  readonly errors: number
  /** The service's CPU per successful purchase, µs (null off Linux). */
  readonly cpuMicros: number | null
  /** Tickets sold beyond the stock (must be 0). */
  readonly oversold: number
  /** Tickets stored == sold count == successful replies' tickets (allowing for replies cut at the end). */
  readonly consistent: boolean
  readonly waits: WaitProfile
  readonly baseline: {
    readonly available: boolean
    readonly runs: ReadonlyArray<PgbenchResult & { readonly waits: WaitProfile }>
    /** The best run's transactions per second: the database's limit for this work. */
    readonly tps: number | null
    readonly clients: number | null
  }
  /** purchases/s over the baseline's best. */
  readonly ratio: number | null
  readonly statements?: ReadonlyArray<StatementStats>
}

const soldAndStored = async (ctx: BenchContext, typeId: number) => {
  const [row] = await ctx.cluster.query<{ sold: number; total: number; stored: number }>(
    `SELECT sold_qty AS sold, total_qty AS total, (SELECT count(*)::int FROM tickets WHERE ticket_type_id = $1) AS stored
     FROM ticket_types WHERE id = $1`,
    [typeId]
  )
  if (row === undefined) throw new Error(`no ticket type ${typeId}`)
  return row
}

export const flashSale = async (ctx: BenchContext): Promise<FlashSaleResult> => {
  const seconds = ctx.quick ? 5 : 20
  const event = await createEvent(ctx.service.base, ctx.token, "Flash Sale", 30, [
    { name: "General Admission", price: PRICE, total_qty: STOCK },
    { name: "pgbench", price: PRICE, total_qty: STOCK }
  ])
  const ours = typeNamed(event, "General Admission")
  const theirs = typeNamed(event, "pgbench")
  const request = { url: `${ctx.service.base}/v1/buy-ticket`, method: "POST" as const, body: purchaseBody(ours, 1) }

  ctx.say(`flash sale: warm-up, then ${BUYERS} buyers for ${seconds} s`)
  await load({ ...request, connections: BUYERS, seconds: ctx.quick ? 1 : 3 })
  await settle()
  const before = await soldAndStored(ctx, ours.id)
  if (ctx.profile) await resetStatements(ctx.cluster)
  const sampler = sampleWaits(ctx.cluster, "ticketmania")
  const cpuBefore = ctx.service.cpuSeconds()
  const run: LoadResult = await load({ ...request, connections: BUYERS, seconds })
  const cpuAfter = ctx.service.cpuSeconds()
  const waits = await sampler.stop()
  const statements = ctx.profile ? await topStatements(ctx.cluster) : undefined
  await settle() // purchases whose replies the load generator cut off at the end still commit
  const after = await soldAndStored(ctx, ours.id)
  const created = run.statuses["201"] ?? 0
  const sold = after.sold - before.sold

  const runs: Array<PgbenchResult & { readonly waits: WaitProfile }> = []
  if (ctx.pgbench !== undefined) {
    for (const clients of [1, 10, BUYERS]) {
      await settle()
      ctx.say(`flash sale baseline: pgbench, ${clients} client(s) for ${seconds} s`)
      const pgSampler = sampleWaits(ctx.cluster, "pgbench")
      const result = await runPgbench(ctx.pgbench, ctx.cluster.url, {
        script: SCRIPT,
        clients,
        seconds: ctx.quick ? 4 : seconds,
        variables: { tt: theirs.id, ev: theirs.event_id, price: PRICE },
        scratch: ctx.cluster.scratch
      })
      runs.push({ ...result, waits: await pgSampler.stop() })
    }
  }
  const best = runs.reduce<(typeof runs)[number] | undefined>((a, b) => (a === undefined || b.tps > a.tps ? b : a), undefined)
  const purchasesPerSecond = created / run.seconds
  return {
    buyers: BUYERS,
    seconds: run.seconds,
    purchasesPerSecond,
    p50: run.p50,
    p99: run.p99,
    statuses: run.statuses,
    errors: run.errors,
    cpuMicros: cpuBefore === null || cpuAfter === null || created === 0 ? null : ((cpuAfter - cpuBefore) * 1e6) / created,
    oversold: Math.max(0, after.sold - after.total),
    consistent: after.stored === after.sold && created <= sold,
    waits,
    baseline: {
      available: best !== undefined,
      runs,
      tps: best?.tps ?? null,
      clients: best?.clients ?? null
    },
    ratio: best === undefined ? null : purchasesPerSecond / best.tps,
    ...(statements === undefined ? {} : { statements })
  }
}
