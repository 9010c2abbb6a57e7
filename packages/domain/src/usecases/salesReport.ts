import { Effect } from "effect"
import type { EventId } from "../model/ids.ts"
import { salesReportOf } from "../rules/salesReport.ts"
import { inspectEvent } from "./inspectEvent.ts"

/** Per ticket type: sold, left and revenue, with totals. For operators; drafts included. */
export const salesReport = Effect.fn("salesReport")(function*(eventId: EventId) {
  return salesReportOf(yield* inspectEvent(eventId))
})
