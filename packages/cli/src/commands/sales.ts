import { Effect } from "effect"
import { salesReport } from "@ticketmania/domain"
import { money, type Output, table } from "../output.ts"
import { runCommand } from "../runtime.ts"
import { eventIdArgument } from "./events.ts"

/** `sales report <event-id>`: per ticket type sold, left and revenue, and totals. */
export const salesReportCommand = async (id: string, output: Output) => {
  await runCommand(output, Effect.flatMap(eventIdArgument(id), salesReport), (report) => ({
    json: {
      event_id: report.eventId,
      title: report.title,
      ticket_types: report.ticketTypes.map((t) => ({
        ticket_type_id: t.ticketTypeId,
        name: t.name,
        price: t.price,
        currency: t.currency,
        total_qty: t.totalQty,
        sold: t.sold,
        left: t.left,
        revenue: t.revenue
      })),
      totals: report.totals
    },
    text: () =>
      [
        `Sales of event ${report.eventId}: ${report.title}`,
        table(
          ["type", "price", "sold", "left", "revenue"],
          report.ticketTypes.map((t) => [t.name, money(t.price, t.currency), t.sold, t.left, money(t.revenue, t.currency)])
        ),
        `total: ${report.totals.sold} sold, ${report.totals.left} left, revenue ${
          report.totals.revenue.map((r) => money(r.amount, r.currency)).join(" + ") || "0"
        }`
      ].join("\n")
  }))
}
