// Issue #9, flash sales at scale: the service with purchase coalescing on and off (before/after in
// one run, each in a service of its own on the same database), against the hot-row serial ceiling
// measured by pgbench in the same run (one conditional UPDATE per sale, one client).
//  - flash: 8, 64 and 1,000 buyers, 1 ticket each, ample stock, every request with its own
//    Idempotency-Key and every tenth a retry of the buyer's previous request (a replay);
//  - sell-out: 1,000 buyers of 1–4 tickets for a few thousand seats until none is left, then 64
//    buyers at a time for the sold-out type (the sold-out reply latency);
//  - logins: 64 buyers alone, then with 200 clients logging in at once (bcrypt), in alternating
//    rounds.
// Invariants are read from the tables: oversold, undersold, duplicate orders per key, and sold
// count = ticket rows = fresh 201 replies.
import { fileURLToPath } from "node:url"
import { createEvent, typeNamed } from "../lib/api.ts"
import type { TicketTypeJson } from "../lib/api.ts"
import { byStatus, latency, runClients } from "../lib/buyers.ts"
import type { ClientsResult, Outgoing } from "../lib/buyers.ts"
import { settle } from "../lib/context.ts"
import type { BenchContext } from "../lib/context.ts"
import { outboxDrained } from "../lib/outbox.ts"
import { runPgbench } from "../lib/pgbench.ts"
import type { PgbenchResult } from "../lib/pgbench.ts"
import type { Served } from "../lib/processes.ts"
import { ledger, signIn } from "./scaleLedger.ts"
import type { Ledger } from "./scaleLedger.ts"

const CEILING_SCRIPT = fileURLToPath(new URL("../conditional-update.pgbench.sql", import.meta.url))
const STOCK = 1_000_000
const BUYER_COUNTS = [8, 64, 1_000] as const
const SELL_OUT_STOCK = 3_000
const SELL_OUT_BUYERS = 1_000
const LOGINS = 200

export type Mode = "on" | "off"

/** One flash-sale run. */
export interface FlashRun extends Ledger {
  readonly mode: Mode
  readonly buyers: number
  readonly seconds: number
  /** Sales committed per second (from the sold count). */
  readonly salesPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly statuses: Record<string, number>
  readonly errors: number
}

/** The sell-out run. */
export interface SellOutRun extends Ledger {
  readonly mode: Mode
  readonly buyers: number
  readonly stock: number
  /** When the last ticket was sold, ms after the start. */
  readonly soldOutMs: number
  /** Sold-out replies to the buyers who came once the type was sold out. */
  readonly soldOutReplies: number
  /** Sold-out replies to buyers who asked no more than was left at the end (must be 0). */
  readonly undersold: number
  readonly soldOutP50: number
  readonly soldOutP99: number
  readonly statuses: Record<string, number>
}

/** 64 buyers without and with a login storm. */
export interface LoginRun {
  readonly mode: Mode
  readonly alone: { readonly salesPerSecond: number; readonly p99: number }
  readonly withLogins: { readonly salesPerSecond: number; readonly p99: number }
  /** Purchase p99 with the logins over without. */
  readonly ratio: number
  readonly logins: Record<string, number>
  /** Logins refused at once (503/429): their p99 latency. */
  readonly refusedP99: number
  readonly loginsPerSecond: number
}

export interface ScaleResult {
  /** pgbench, one conditional UPDATE per sale, 1 client: the serial ceiling. */
  readonly ceiling: PgbenchResult | null
  /** The same at 64 clients: how a hot row collapses without batching. */
  readonly ceiling64: PgbenchResult | null
  readonly flash: ReadonlyArray<FlashRun>
  readonly sellOut: ReadonlyArray<SellOutRun>
  readonly logins: ReadonlyArray<LoginRun>
}

const purchase = (type: TicketTypeJson, quantity: number, buyer: string, key: string | undefined): Outgoing => ({
  path: "/v1/buy-ticket",
  body: JSON.stringify([{
    eventId: type.event_id,
    ticketTypes: [{ ticketTypeId: type.id, quantity, buyerEmail: `${buyer}@bench.test`, buyerPhone: "+2348012345678" }]
  }]),
  ...(key === undefined ? {} : { headers: { "idempotency-key": key } })
})

/** Keyed purchases of one ticket; every tenth repeats the request before it (same key, same body). */
const keyedBuyers = (type: TicketTypeJson, label: string) => (n: number) => {
  const id = n % 10 === 9 ? n - 1 : n
  return purchase(type, 1, `${label}-${id}`, `${label}-${id}`)
}

const sold = async (ctx: BenchContext, typeId: number) => {
  const [row] = await ctx.cluster.query<{ sold: number }>(`SELECT sold_qty AS sold FROM ticket_types WHERE id = $1`, [typeId])
  return row?.sold ?? 0
}

// Each run starts as a sale would: with the confirmations of the run before sent. While a sale is
// on, mail gives way to it (docs/DESIGN.md), so a 10-s run leaves some 30,000 queued, which take
// a few seconds at full speed once it is over; after a one-second pause they would go out during
// the next run — and once the oldest has waited a minute, at full speed — so that what a run
// measured would depend on the runs before it.
const quiet = async (ctx: BenchContext) => {
  await outboxDrained(ctx.cluster, ctx.say)
  await settle()
}

const flashRun = async (ctx: BenchContext, base: string, mode: Mode, type: TicketTypeJson, buyers: number): Promise<FlashRun> => {
  const seconds = ctx.quick ? 3 : 10
  ctx.say(`scale (${mode}): ${buyers} buyers for ${seconds} s`)
  await quiet(ctx)
  const before = await sold(ctx, type.id)
  const label = `flash-${mode}-${buyers}-${Date.now().toString(36)}`
  const run = await runClients({ base, clients: buyers, seconds, next: keyedBuyers(type, label) })
  await settle()
  const after = await sold(ctx, type.id)
  return {
    mode,
    buyers,
    seconds: run.seconds,
    salesPerSecond: (after - before) / run.seconds,
    ...latency(run.replies),
    statuses: byStatus(run.replies),
    errors: run.errors,
    ...(await ledger(ctx, type.id, `${label}-%`, run.replies))
  }
}

const sellOutRun = async (ctx: BenchContext, base: string, token: string, mode: Mode): Promise<SellOutRun> => {
  const event = await createEvent(base, token, `Sell-out (${mode})`, 30, [{ name: "Seat", price: 5_000, total_qty: SELL_OUT_STOCK }])
  const type = typeNamed(event, "Seat")
  const label = `sellout-${mode}-${Date.now().toString(36)}`
  const quantity = (n: number) => 1 + (n % 4)
  const buyer = (offset: number) => (n: number) => purchase(type, quantity(n + offset), `${label}-${n + offset}`, undefined)
  ctx.say(`scale (${mode}): ${SELL_OUT_BUYERS} buyers for ${SELL_OUT_STOCK} seats until none is left`)
  await quiet(ctx)
  // The rush, until a reply says none is left.
  let gone = false
  const rush = await runClients({
    base,
    clients: SELL_OUT_BUYERS,
    seconds: ctx.quick ? 20 : 60,
    next: buyer(0),
    onReply: (r) => (gone ||= r.code === "sold_out" && (r.message ?? "").includes("none left")),
    done: () => gone
  })
  const soldOutMs = rush.replies.reduce((t, r) => (r.status === 201 ? Math.max(t, r.at) : t), 0)
  // Then buyers keep coming to a sold-out type: 64 at a time, as in the flash runs.
  const after = await runClients({ base, clients: 64, seconds: ctx.quick ? 2 : 5, next: buyer(1_000_000) })
  const replies = [...rush.replies, ...after.replies.map((r) => ({ ...r, n: r.n + 1_000_000 }))]
  const soldOut = latency(after.replies.filter((r) => r.code === "sold_out"))
  await settle()
  const book = await ledger(ctx, type.id, `${label}-%`, replies)
  return {
    mode,
    buyers: SELL_OUT_BUYERS,
    stock: SELL_OUT_STOCK,
    soldOutMs,
    soldOutReplies: soldOut.count,
    soldOutP50: soldOut.p50,
    soldOutP99: soldOut.p99,
    statuses: byStatus(replies),
    ...book,
    // Refused as sold out although at least as many as asked are left at the end.
    undersold: book.left === 0 ? 0 : replies.filter((r) => r.code === "sold_out" && quantity(r.n) <= book.left).length
  }
}

// Rounds of the login comparison, each 64 buyers alone and then beside the storm. The machine's
// pace drifts by a fifth within a minute: one pair of 10-s halves compared whatever the drift did
// between them (BENCHMARKS.md, seventh round), so the halves alternate in shorter rounds and each
// side's p99 is taken over all its rounds.
const LOGIN_ROUNDS = 3
const LOGIN_ROUND_SECONDS = 4

/** The replies of several runs of clients, as one. */
const pooled = (runs: ReadonlyArray<ClientsResult>) => ({
  replies: runs.flatMap((run) => run.replies),
  seconds: runs.reduce((total, run) => total + run.seconds, 0)
})

const loginRun = async (ctx: BenchContext, base: string, mode: Mode, type: TicketTypeJson): Promise<LoginRun> => {
  const rounds = ctx.quick ? 1 : LOGIN_ROUNDS
  const seconds = ctx.quick ? 3 : LOGIN_ROUND_SECONDS
  const buyersFor = (label: string) => runClients({ base, clients: 64, seconds, next: keyedBuyers(type, label) })
  const credentials = JSON.stringify({ email: "organizer@bench.test", password: "bench-password-123" })
  ctx.say(`scale (${mode}): ${rounds} × (64 buyers for ${seconds} s, then again with ${LOGINS} logins)`)
  const alone: Array<ClientsResult> = []
  const beside: Array<ClientsResult> = []
  const storms: Array<ClientsResult> = []
  for (let round = 0; round < rounds; round++) {
    await quiet(ctx)
    alone.push(await buyersFor(`alone-${mode}-${round}-${Date.now().toString(36)}`))
    await quiet(ctx)
    const [withLogins, logins] = await Promise.all([
      buyersFor(`storm-${mode}-${round}-${Date.now().toString(36)}`),
      runClients({ base, clients: LOGINS, seconds, next: () => ({ path: "/v1/login", body: credentials }) })
    ])
    beside.push(withLogins)
    storms.push(logins)
  }
  await settle()
  const [withoutStorm, withStorm, logins] = [pooled(alone), pooled(beside), pooled(storms)]
  const p99 = (run: typeof withStorm) => latency(run.replies.filter((r) => r.status === 201)).p99
  const rate = (run: typeof withStorm) => run.replies.filter((r) => r.status === 201 && !r.replayed).length / run.seconds
  return {
    mode,
    alone: { salesPerSecond: rate(withoutStorm), p99: p99(withoutStorm) },
    withLogins: { salesPerSecond: rate(withStorm), p99: p99(withStorm) },
    ratio: p99(withStorm) / Math.max(1, p99(withoutStorm)),
    logins: byStatus(logins.replies),
    refusedP99: latency(logins.replies.filter((r) => r.status === 503 || r.status === 429)).p99,
    loginsPerSecond: logins.replies.filter((r) => r.status === 200).length / logins.seconds
  }
}

/**
 * Runs the scale scenarios: the pgbench ceiling first, then for each mode a service started by
 * `start` (and stopped here) running the flash, sell-out and login runs.
 */
export const flashScale = async (ctx: BenchContext, start: (env: Record<string, string>) => Promise<Served>): Promise<ScaleResult> => {
  const flash: Array<FlashRun> = []
  const sellOut: Array<SellOutRun> = []
  const logins: Array<LoginRun> = []
  let ceiling: PgbenchResult | null = null
  let ceiling64: PgbenchResult | null = null
  for (const mode of ["on", "off"] as const) {
    const service = await start({ PURCHASE_COALESCING: mode === "on" ? "true" : "false" })
    const token = await signIn(service.base)
    const event = await createEvent(service.base, token, `Flash at scale (${mode})`, 30, [
      ...BUYER_COUNTS.map((b) => ({ name: `Buyers ${b}`, price: 5_000, total_qty: STOCK })),
      { name: "Logins", price: 5_000, total_qty: STOCK },
      { name: "pgbench", price: 5_000, total_qty: STOCK }
    ])
    if (mode === "on" && ctx.pgbench !== undefined) {
      const variables = { tt: typeNamed(event, "pgbench").id }
      const seconds = ctx.quick ? 3 : 10
      ctx.say(`scale: pgbench conditional UPDATE, 1 and 64 clients for ${seconds} s`)
      await settle()
      ceiling = await runPgbench(ctx.pgbench, ctx.cluster.url, { script: CEILING_SCRIPT, clients: 1, seconds, variables, scratch: ctx.cluster.scratch })
      await settle()
      ceiling64 = await runPgbench(ctx.pgbench, ctx.cluster.url, { script: CEILING_SCRIPT, clients: 64, seconds, variables, scratch: ctx.cluster.scratch })
    }
    // Warm-up: JIT, connections, prepared statements.
    await runClients({ base: service.base, clients: 64, seconds: ctx.quick ? 1 : 3, next: keyedBuyers(typeNamed(event, "Logins"), `warm-${mode}`) })
    for (const buyers of BUYER_COUNTS) flash.push(await flashRun(ctx, service.base, mode, typeNamed(event, `Buyers ${buyers}`), buyers))
    sellOut.push(await sellOutRun(ctx, service.base, token, mode))
    logins.push(await loginRun(ctx, service.base, mode, typeNamed(event, "Logins")))
    const code = await service.stop()
    if (code !== 0) ctx.say(`the service (${mode}) exited with ${code}`)
  }
  return { ceiling, ceiling64, flash, sellOut, logins }
}
