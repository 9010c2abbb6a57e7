// 2. Last seats: 1,000 buyers arrive at once for 100 seats, one ticket each. Exactly 100 must be
// sold and the 900 others refused: "sold out" (409), or "busy, retry" (503) from a service that
// sheds load; the figure of merit is how long the sell-out takes. A small
// undici (fetch) generator: every buyer is its own request on its own connection, all in flight
// together, each bounded by a timeout.
import { createEvent, purchaseBody, typeNamed } from "../lib/api.ts"
import type { BenchContext } from "../lib/context.ts"

const BUYERS = 1_000
const SEATS = 100

export interface LastSeatsResult {
  readonly buyers: number
  readonly seats: number
  /** From the first request sent to the last successful purchase's reply. */
  readonly sellOutMs: number
  /** Until every buyer had an answer. */
  readonly allAnsweredMs: number
  readonly sold: number
  readonly statuses: Record<string, number>
  /** p99 of the sold-out replies, counted from the burst's start (every request leaves then). */
  readonly soldOutP99: number
  /** Exactly `seats` sold (database and 201 replies agree) and every other buyer refused with 409 or 503. */
  readonly exact: boolean
}

export const lastSeats = async (ctx: BenchContext): Promise<LastSeatsResult> => {
  const event = await createEvent(ctx.service.base, ctx.token, "Last Seats", 31, [
    { name: "Front Row", price: 25_000, total_qty: SEATS, max_per_order: 1 }
  ])
  const type = typeNamed(event, "Front Row")
  const body = purchaseBody(type, 1)
  ctx.say(`last seats: ${BUYERS} buyers for ${SEATS} seats`)
  const started = performance.now()
  const replies = await Promise.all(Array.from({ length: BUYERS }, async () => {
    const response = await fetch(`${ctx.service.base}/v1/buy-ticket`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(60_000)
    }).catch(() => undefined)
    await response?.arrayBuffer()
    return { status: response?.status ?? 0, at: performance.now() - started }
  }))
  const statuses: Record<string, number> = {}
  for (const r of replies) statuses[r.status] = (statuses[r.status] ?? 0) + 1
  const sales = replies.filter((r) => r.status === 201).map((r) => r.at)
  const soldOut = replies.filter((r) => r.status === 409).map((r) => r.at).sort((a, b) => a - b)
  const [row] = await ctx.cluster.query<{ sold: number; stored: number }>(
    `SELECT sold_qty AS sold, (SELECT count(*)::int FROM tickets WHERE ticket_type_id = $1) AS stored
     FROM ticket_types WHERE id = $1`,
    [type.id]
  )
  const sold = row?.sold ?? -1
  return {
    buyers: BUYERS,
    seats: SEATS,
    sellOutMs: Math.max(0, ...sales),
    allAnsweredMs: Math.max(0, ...replies.map((r) => r.at)),
    sold,
    statuses,
    soldOutP99: soldOut[Math.min(soldOut.length - 1, Math.floor(soldOut.length * 0.99))] ?? 0,
    exact: sold === SEATS && row?.stored === SEATS && sales.length === SEATS &&
      soldOut.length + (statuses["503"] ?? 0) === BUYERS - SEATS
  }
}
