import type { Email } from "../model/Email.ts"
import type { Receipt } from "../model/Order.ts"
import type { SaleStock } from "../rules/allocate.ts"
import { MailMessage } from "./MailMessage.ts"

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

/** Formats minor units for people: 50000 NGN → "500.00 NGN" (two decimals, the common case). */
export const formatAmount = (minor: number, currency: string): string =>
  `${(minor / 100).toFixed(2)} ${currency}`

/** The welcome mail sent after registration. */
export const welcomeMail = (user: { readonly name: string; readonly email: Email }): MailMessage =>
  new MailMessage({
    kind: "welcome",
    to: user.email,
    subject: "Welcome to TicketMania!",
    text: `Hello ${user.name},\n\nyour TicketMania account is ready. Sign in with ${user.email} to buy tickets.\n`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>your TicketMania account is ready. Sign in with ${
      escapeHtml(user.email)
    } to buy tickets.</p>`
  })

/** A message built from a stored receipt: its fields were checked when the order was made. */
const TRUSTED = { disableChecks: true } as const

/** The confirmation of an order: every ticket with its type, price and code. */
export const orderConfirmationMail = (receipt: Receipt, stock: SaleStock): MailMessage => {
  const { order, tickets } = receipt
  const titles = [...new Set(tickets.map((t) => stock.events.get(t.eventId)?.title ?? `event ${t.eventId}`))]
  const rows = tickets.map((t) => ({
    type: stock.ticketTypes.get(t.ticketTypeId)?.name ?? `ticket type ${t.ticketTypeId}`,
    price: formatAmount(t.price, order.currency),
    code: t.code
  }))
  const total = formatAmount(order.totalAmount, order.currency)
  return new MailMessage({
    kind: "order_confirmation",
    to: order.buyerEmail,
    subject: `Your tickets for ${titles.join(", ")}`,
    text: [
      `Order ${order.id}: ${tickets.length} ticket(s), total ${total}.`,
      "",
      ...rows.map((r) => `- ${r.type}, ${r.price}, code ${r.code}`),
      "",
      "Show the code at the entrance."
    ].join("\n"),
    html: `<p>Order ${order.id}: ${tickets.length} ticket(s), total ${escapeHtml(total)}.</p><table>` +
      "<tr><th>Ticket</th><th>Price</th><th>Code</th></tr>" +
      rows.map((r) =>
        `<tr><td>${escapeHtml(r.type)}</td><td>${escapeHtml(r.price)}</td><td><code>${escapeHtml(r.code)}</code></td></tr>`
      ).join("") +
      "</table><p>Show the code at the entrance.</p>"
  }, TRUSTED)
}
