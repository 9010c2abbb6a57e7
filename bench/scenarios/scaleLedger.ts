// What the tables say after a scale run, next to what the clients were told: the invariants of
// issue #9 (nothing oversold or undersold, no key with two orders, sold count = tickets = 201s).
import type { Reply } from "../lib/buyers.ts"
import type { BenchContext } from "../lib/context.ts"

/** The invariants of one run over one ticket type. */
export interface Ledger {
  /** Tickets sold beyond the stock (must be 0). */
  readonly oversold: number
  /** Tickets left unsold at the end (0 once demand exceeded supply). */
  readonly left: number
  /** sold_qty equals the type's ticket rows. */
  readonly stockConsistent: boolean
  /** 201 replies that were not replays. */
  readonly freshReplies: number
  /** Orders stored for this run's buyers; must equal `freshReplies`. */
  readonly ordersStored: number
  /** Buyers (each with one key) that have more than one order (must be 0). */
  readonly duplicateOrders: number
}

/** Reads the ledger of the ticket type `typeId` for the buyers whose email matches `buyers` (LIKE). */
export const ledger = async (ctx: BenchContext, typeId: number, buyers: string, replies: ReadonlyArray<Reply>): Promise<Ledger> => {
  const [row] = await ctx.cluster.query<{ sold: number; total: number; tickets: number; orders: number; duplicates: number }>(
    `SELECT tt.sold_qty AS sold, tt.total_qty AS total,
       (SELECT count(*)::int FROM tickets WHERE ticket_type_id = tt.id) AS tickets,
       (SELECT count(*)::int FROM orders WHERE buyer_email LIKE $2) AS orders,
       (SELECT count(*)::int FROM (SELECT 1 FROM orders WHERE buyer_email LIKE $2 GROUP BY buyer_email HAVING count(*) > 1) d)
         AS duplicates
     FROM ticket_types tt WHERE tt.id = $1`,
    [typeId, buyers]
  )
  if (row === undefined) throw new Error(`no ticket type ${typeId}`)
  return {
    oversold: Math.max(0, row.sold - row.total),
    left: row.total - row.sold,
    stockConsistent: row.sold === row.tickets,
    freshReplies: replies.filter((r) => r.status === 201 && !r.replayed).length,
    ordersStored: row.orders,
    duplicateOrders: row.duplicates
  }
}

/** Logs in the organizer the runner registered; returns the bearer token. */
export const signIn = async (base: string): Promise<string> => {
  const response = await fetch(`${base}/v1/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "organizer@bench.test", password: "bench-password-123" })
  })
  const body = (await response.json()) as { readonly token?: string }
  if (response.status !== 200 || body.token === undefined) throw new Error(`login: ${response.status}`)
  return body.token
}
