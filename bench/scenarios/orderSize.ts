// 4. Order size: one buyer at a time buys orders of 1, 10 and 50 tickets. The purchase is one
// transaction of a fixed number of round trips whatever the size, so latency should grow far
// less than linearly with it. A plain sequential fetch (undici) loop timing each request: with one
// buyer, autocannon's 1 ms histogram and its start-up time would blur what is being compared.
import { createEvent, purchaseBody, typeNamed } from "../lib/api.ts"
import type { BenchContext } from "../lib/context.ts"

const SIZES = [1, 10, 50] as const

export interface OrderSizeResult {
  readonly tickets: number
  readonly orders: number
  readonly p50: number
  readonly p99: number
  readonly mean: number
  /** Mean latency over the mean latency of a 1-ticket order. */
  readonly growth: number
}

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

/** `count` purchases one after the other (at most `maxSeconds`); each reply's latency in ms. */
const timedPurchases = async (url: string, body: string, count: number, maxSeconds: number) => {
  const latencies: Array<number> = []
  const deadline = performance.now() + maxSeconds * 1000
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const started = performance.now()
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(30_000)
    })
    await response.arrayBuffer()
    if (response.status !== 201) throw new Error(`order size: a purchase answered ${response.status}`)
    latencies.push(performance.now() - started)
  }
  return latencies
}

export const orderSize = async (ctx: BenchContext): Promise<ReadonlyArray<OrderSizeResult>> => {
  const orders = ctx.quick ? 60 : 300
  const event = await createEvent(ctx.service.base, ctx.token, "Group Bookings", 32, [
    { name: "Block", price: 3_000, total_qty: 1_000_000, max_per_order: 100 }
  ])
  const type = typeNamed(event, "Block")
  const url = `${ctx.service.base}/v1/buy-ticket`
  const figures: Array<Omit<OrderSizeResult, "growth">> = []
  for (const tickets of SIZES) {
    ctx.say(`order size: ${orders} orders of ${tickets} ticket(s), one buyer`)
    const body = purchaseBody(type, tickets)
    await timedPurchases(url, body, 10, 30) // warm-up
    const latencies = await timedPurchases(url, body, orders, 60)
    const sorted = [...latencies].sort((a, b) => a - b)
    const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)
    figures.push({ tickets, orders: latencies.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean })
  }
  const one = figures[0]?.mean ?? 1
  return figures.map((f) => ({ ...f, growth: f.mean / one }))
}
