import { appendFileSync } from "node:fs"
import { call, type Reply } from "./api.ts"
import type { Sql } from "./db.ts"

// Bounded load and its ledger. Every purchase is recorded Jepsen-style (each attempt's outcome,
// then the final one), under a buyer email of its own so that each stored order can be traced
// back to the request that made it; `checkLedger` then compares the ledger with the tables.

/** Runs `task(0..count-1)` on `concurrency` workers; stops starting new tasks after `deadlineMillis`. */
export const runBounded = async (
  options: { readonly count: number; readonly concurrency: number; readonly deadlineMillis: number },
  task: (index: number) => Promise<void>
): Promise<number> => {
  const deadline = Date.now() + options.deadlineMillis
  let next = 0
  const worker = async () => {
    while (next < options.count && Date.now() < deadline) await task(next++)
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return next
}

/** What one attempt ended with: an HTTP status, or `network` when no reply came. */
export type Outcome = number | "network"

/** One logical purchase of `quantity` tickets of one type. */
export interface PurchaseRecord {
  readonly buyerEmail: string
  readonly ticketTypeId: number
  readonly quantity: number
  readonly attempts: Array<Outcome>
  /** The last attempt's outcome. */
  final: Outcome
  /** The order id of a 201 reply. */
  orderId: number | undefined
  /** The `code` of the last error reply. */
  code: string | undefined
  /** Whether the 201 was a replay (`Idempotent-Replayed`): an earlier attempt had sold. */
  replayed: boolean
  /** For a last attempt without a reply: how the connection failed (ECONNREFUSED, ECONNRESET, ...). */
  failure?: string
  /** When the first attempt was sent and the last one ended (ms since the epoch). */
  startedAt?: number
  endedAt?: number
}

/** The kind of connection failure of a fetch that got no reply (ECONNREFUSED, ECONNRESET, ...). */
export const failureKind = (error: unknown): string => {
  const cause = error instanceof Error ? error.cause : undefined
  const code = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined
  return typeof code === "string" ? code : error instanceof Error ? error.name : "unknown"
}

/** Counts of outcomes, e.g. `{ "201": 120, "409": 40, "503": 3 }`. */
export type Histogram = Record<string, number>

export const histogram = (outcomes: Iterable<Outcome>): Histogram => {
  const counts: Histogram = {}
  for (const outcome of outcomes) counts[String(outcome)] = (counts[String(outcome)] ?? 0) + 1
  return counts
}

/** An outcome after which the request may or may not have been applied. */
export const indeterminate = (outcome: Outcome) => outcome === "network" || outcome === 503

export interface BuyOptions {
  readonly base: string
  readonly eventId: number
  readonly ticketTypeId: number
  readonly quantity: number
  readonly buyerEmail: string
  /** Sent on every attempt: a retry after an indeterminate outcome then sells at most once. */
  readonly idempotencyKey?: string
  /** Attempts in all; only indeterminate outcomes are retried, and only with a key. */
  readonly maxAttempts?: number
  readonly timeoutMillis?: number
  /** Pause before a retry (a client's backoff; default none). */
  readonly retryDelayMillis?: number
  /** Called after each attempt, e.g. to count replies as they come. */
  readonly onReply?: (reply: Reply | undefined) => void
}

/** One logical purchase, retried with the same Idempotency-Key after an indeterminate outcome. */
export const buy = async (options: BuyOptions): Promise<PurchaseRecord> => {
  const record: PurchaseRecord = {
    buyerEmail: options.buyerEmail,
    ticketTypeId: options.ticketTypeId,
    quantity: options.quantity,
    attempts: [],
    final: "network",
    orderId: undefined,
    code: undefined,
    replayed: false,
    startedAt: Date.now()
  }
  const maxAttempts = options.idempotencyKey === undefined ? 1 : options.maxAttempts ?? 1
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const reply = await call(options.base, "/v1/buy-ticket", {
      json: {
        eventId: options.eventId,
        ticketTypes: [{ ticketTypeId: options.ticketTypeId, quantity: options.quantity, buyerEmail: options.buyerEmail, buyerPhone: "+2348000000000" }]
      },
      ...(options.idempotencyKey === undefined ? {} : { headers: { "idempotency-key": options.idempotencyKey } }),
      timeoutMillis: options.timeoutMillis ?? 30_000
    }).catch((error: unknown) => {
      record.failure = failureKind(error)
      return undefined
    })
    options.onReply?.(reply)
    record.final = reply === undefined ? "network" : reply.status
    record.attempts.push(record.final)
    if (reply !== undefined && reply.body !== null && typeof reply.body === "object" && !Array.isArray(reply.body)) {
      const body = reply.body as Record<string, unknown>
      const order = body.order as Record<string, unknown> | undefined
      if (reply.status === 201 && typeof order?.id === "number") record.orderId = order.id
      if (typeof body.code === "string") record.code = body.code
      record.replayed = reply.headers.get("idempotent-replayed") === "true"
    }
    record.endedAt = Date.now()
    if (!indeterminate(record.final)) break
    if (options.retryDelayMillis !== undefined && attempt + 1 < maxAttempts) {
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMillis))
    }
  }
  return record
}

/** What the tables say after a run, compared with the ledger. */
export interface LedgerCheck {
  /** 201 replies whose order is not stored with exactly the tickets bought. */
  readonly lostSales: Array<string>
  /** Stored orders that no request of the ledger made. */
  readonly unknownOrders: Array<string>
  /** Purchases with more than one stored order. */
  readonly duplicateOrders: Array<string>
  /** Stored orders of purchases whose final reply was a definite failure (4xx). */
  readonly soldOnFailure: Array<string>
  /** Stored orders of purchases that never got a definite reply (allowed: 0 or 1 order each). */
  readonly indeterminateSold: number
  /** Ticket types whose sold_qty differs from their tickets, or exceeds total_qty. */
  readonly inventoryMismatch: Array<string>
  /** Per ticket type: total, sold and tickets stored. */
  readonly inventory: Array<{ readonly id: number; readonly total: number; readonly sold: number; readonly tickets: number }>
  /** sold_out replies while at least as many tickets as asked are still unsold at the end. */
  readonly undersold: Array<string>
}

interface OrderRow {
  readonly id: number
  readonly buyer_email: string
  readonly tickets: number
  readonly ticket_type_id: number | null
}

interface StockRow {
  readonly id: number
  readonly total_qty: number
  readonly sold_qty: number
  readonly tickets: number
}

/** Reads the event's orders and stock and checks them against `records`. */
export const checkLedger = async (sql: Sql, eventId: number, records: ReadonlyArray<PurchaseRecord>): Promise<LedgerCheck> => {
  const orders = await sql.query<OrderRow>(
    `SELECT o.id::int AS id, o.buyer_email, count(t.id)::int AS tickets, min(t.ticket_type_id)::int AS ticket_type_id
     FROM orders o JOIN tickets t ON t.order_id = o.id
     WHERE t.event_id = $1 GROUP BY o.id`,
    [eventId]
  )
  const stock = await sql.query<StockRow>(
    `SELECT tt.id::int AS id, tt.total_qty, tt.sold_qty,
            (SELECT count(*)::int FROM tickets t WHERE t.ticket_type_id = tt.id) AS tickets
     FROM ticket_types tt WHERE tt.event_id = $1 ORDER BY tt.id`,
    [eventId]
  )
  const byEmail = new Map<string, Array<OrderRow>>()
  for (const order of orders) byEmail.set(order.buyer_email, [...(byEmail.get(order.buyer_email) ?? []), order])
  const known = new Set(records.map((r) => r.buyerEmail))

  const lostSales: Array<string> = []
  const duplicateOrders: Array<string> = []
  const soldOnFailure: Array<string> = []
  let indeterminateSold = 0
  for (const record of records) {
    const stored = byEmail.get(record.buyerEmail) ?? []
    if (stored.length > 1) duplicateOrders.push(`${record.buyerEmail}: ${stored.length} orders`)
    if (record.final === 201) {
      const order = stored.find((o) => o.id === record.orderId)
      if (order === undefined || order.tickets !== record.quantity || order.ticket_type_id !== record.ticketTypeId) {
        lostSales.push(`${record.buyerEmail}: order ${record.orderId} ${order === undefined ? "missing" : `has ${order.tickets} tickets`}`)
      }
    } else if (indeterminate(record.final)) {
      if (stored.length > 0) indeterminateSold++
    } else if (stored.length > 0) {
      soldOnFailure.push(`${record.buyerEmail}: final ${record.final} but order ${stored.map((o) => o.id).join(",")}`)
    }
  }
  const unknownOrders = orders.filter((o) => !known.has(o.buyer_email)).map((o) => `order ${o.id} (${o.buyer_email})`)
  const inventoryMismatch = stock
    .filter((s) => s.sold_qty !== s.tickets || s.sold_qty > s.total_qty || s.sold_qty < 0)
    .map((s) => `ticket type ${s.id}: total ${s.total_qty}, sold_qty ${s.sold_qty}, tickets ${s.tickets}`)
  const left = new Map(stock.map((s) => [s.id, s.total_qty - s.sold_qty]))
  const undersold = records
    .filter((r) => r.final === 409 && r.code === "sold_out" && (left.get(r.ticketTypeId) ?? 0) >= r.quantity)
    .map((r) => `${r.buyerEmail}: sold_out for ${r.quantity} while ${left.get(r.ticketTypeId)} are left`)
  return {
    lostSales,
    unknownOrders,
    duplicateOrders,
    soldOnFailure,
    indeterminateSold,
    inventoryMismatch,
    inventory: stock.map((s) => ({ id: s.id, total: s.total_qty, sold: s.sold_qty, tickets: s.tickets })),
    undersold
  }
}

/** The invariant part of a check, as asserted by every load test: all empty. */
export const violations = (check: LedgerCheck) => ({
  lostSales: check.lostSales,
  unknownOrders: check.unknownOrders,
  duplicateOrders: check.duplicateOrders,
  soldOnFailure: check.soldOnFailure,
  inventoryMismatch: check.inventoryMismatch,
  undersold: check.undersold
})

export const NO_VIOLATIONS = {
  lostSales: [],
  unknownOrders: [],
  duplicateOrders: [],
  soldOnFailure: [],
  inventoryMismatch: [],
  undersold: []
}

/**
 * Prints a test's figures as one JSON line, and appends it to the file named by
 * `SYSTEM_TESTS_FIGURES` when set (the source of the figures in docs/RELIABILITY.md).
 */
export const report = (name: string, figures: Record<string, unknown>) => {
  const line = JSON.stringify({ test: name, ...figures })
  console.log(`[figures] ${line}`)
  const file = process.env.SYSTEM_TESTS_FIGURES
  if (file !== undefined && file !== "") appendFileSync(file, `${line}\n`)
}

/** Counts replies by outcome as they arrive; a test can wait for a count (an event, not a sleep). */
export class Tally {
  private readonly counts = new Map<string, number>()
  private readonly waiters: Array<{ readonly key: string; readonly target: number; readonly resolve: () => void }> = []

  add(outcome: Outcome): void {
    const key = String(outcome)
    const count = (this.counts.get(key) ?? 0) + 1
    this.counts.set(key, count)
    for (const waiter of this.waiters.filter((w) => w.key === key && count >= w.target)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  }

  count(outcome: Outcome): number {
    return this.counts.get(String(outcome)) ?? 0
  }

  /** Resolves once `more` further replies of `outcome` have come; rejects after `timeoutMillis`. */
  awaitMore(outcome: Outcome, more: number, timeoutMillis: number): Promise<void> {
    const key = String(outcome)
    const target = this.count(outcome) + more
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fewer than ${more} more ${key} replies within ${timeoutMillis} ms`)), timeoutMillis)
      this.waiters.push({
        key,
        target,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        }
      })
    })
  }
}
