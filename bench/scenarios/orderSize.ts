// 4. Order size: one buyer at a time buys orders of 1, 10 and 50 tickets. The purchase is one
// transaction of a fixed number of round trips whatever the size, so latency should grow far
// less than linearly with it.
import { createEvent, purchaseBody, typeNamed } from "../lib/api.ts"
import type { BenchContext } from "../lib/context.ts"
import { load } from "../lib/load.ts"

const SIZES = [1, 10, 50] as const

export interface OrderSizeResult {
  readonly tickets: number
  readonly orders: number
  readonly p50: number
  readonly p99: number
  readonly mean: number
  /** p50 over the p50 of a 1-ticket order. */
  readonly growth: number
}

export const orderSize = async (ctx: BenchContext): Promise<ReadonlyArray<OrderSizeResult>> => {
  const orders = ctx.quick ? 60 : 300
  const event = await createEvent(ctx.service.base, ctx.token, "Group Bookings", 32, [
    { name: "Block", price: 3_000, total_qty: 1_000_000, max_per_order: 100 }
  ])
  const type = typeNamed(event, "Block")
  const figures: Array<Omit<OrderSizeResult, "growth">> = []
  for (const tickets of SIZES) {
    ctx.say(`order size: ${orders} orders of ${tickets} ticket(s), one buyer`)
    const request = { url: `${ctx.service.base}/v1/buy-ticket`, method: "POST" as const, body: purchaseBody(type, tickets), connections: 1 }
    await load({ ...request, amount: 20 }) // warm-up
    const run = await load({ ...request, amount: orders })
    if ((run.statuses["201"] ?? 0) !== run.requests) throw new Error(`order size ${tickets}: ${JSON.stringify(run.statuses)}`)
    // One buyer, closed loop: elapsed / orders is the mean latency, finer than the 1 ms percentiles.
    figures.push({ tickets, orders: run.requests, p50: run.p50, p99: run.p99, mean: run.seconds * 1000 / run.requests })
  }
  const one = figures[0]?.mean ?? 1
  return figures.map((f) => ({ ...f, growth: f.mean / one }))
}
