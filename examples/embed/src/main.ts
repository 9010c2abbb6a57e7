// Embedding TicketMania: the core's use cases plus in-memory adapters, in a few lines.
// Swap `InMemoryCore` for the PostgreSQL adapters to run the same program against a database.
import { Effect } from "effect"
import { InMemoryCore } from "@ticketmania/testing"
import { flashSale } from "./flashSale.ts"

const result = await Effect.runPromise(flashSale.pipe(Effect.provide(InMemoryCore)))
console.log(`sold ${result.sold} of 3 seats; refused: ${result.refused.join(", ")}`)
console.log(`revenue: ${result.report.totals.revenue.map((r) => `${r.amount / 100} ${r.currency}`).join(", ")}`)
