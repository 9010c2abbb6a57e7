import { Effect } from "effect"
import { Order, OrderId, Receipt, Ticket, TicketId } from "@ticketmania/domain"
import type { Allocation, PurchaseCommand } from "@ticketmania/domain"

const TRUSTED = { disableChecks: true } as const

/**
 * The receipt of a sale about to be written: ids reserved from the sequences, codes taken in
 * order, timestamps at the instant the sale was decided. Exactly what `recallKeys` reads back
 * once it is stored, which makes a replay identical to the first reply. Built without the
 * schemas' checks (`TRUSTED`): every field comes from the decoded request, the locked stock or the
 * sequences, and checking them again (an email pattern, integer ranges) cost every sale about
 * 5 µs (an Order 5.4 → 3.4 µs to build, a Ticket 9.7 → 7.0).
 */
export const buildReceipt = Effect.fnUntraced(function*(
  command: PurchaseCommand,
  allocation: Allocation,
  orderId: number,
  ticketIds: ReadonlyArray<number>
) {
  const { request, now, codes } = command
  const order = new Order({
    id: OrderId.make(orderId),
    userId: request.userId,
    buyerEmail: allocation.buyerEmail,
    totalAmount: allocation.totalAmount,
    currency: allocation.currency,
    createdAt: now
  }, TRUSTED)
  const tickets: Array<Ticket> = []
  for (const [i, t] of allocation.tickets.entries()) {
    const id = ticketIds[i]
    const code = codes[i]
    if (id === undefined || code === undefined) {
      const count = allocation.tickets.length
      return yield* Effect.die(new Error(`${count} tickets to issue, ${codes.length} codes and ${ticketIds.length} ids`))
    }
    tickets.push(new Ticket({ ...t, id: TicketId.make(id), code, orderId: order.id, userId: request.userId, status: "sold", createdAt: now }, TRUSTED))
  }
  return new Receipt({ order, tickets }, TRUSTED)
})
