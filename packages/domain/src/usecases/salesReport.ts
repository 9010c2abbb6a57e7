import { Effect, Option } from "effect"
import { EventNotFound } from "../errors.ts"
import type { EventId } from "../model/ids.ts"
import { EventRepository } from "../ports/EventRepository.ts"
import { salesReportOf } from "../rules/salesReport.ts"

/** Per ticket type: sold, left and revenue, with totals. For operators; drafts included. */
export const salesReport = Effect.fn("salesReport")(function*(eventId: EventId) {
  const found = yield* (yield* EventRepository).findById(eventId)
  if (Option.isNone(found)) return yield* new EventNotFound({ eventId })
  return salesReportOf(found.value)
})
