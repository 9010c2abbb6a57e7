import { Effect, Option } from "effect"
import { EventNotFound } from "../errors.ts"
import type { EventId, UserId } from "../model/ids.ts"
import { EventRepository } from "../ports/EventRepository.ts"

/**
 * One event with its ticket types. A draft is visible only to its organizer; for anyone else it
 * does not exist (`EventNotFound`), so drafts cannot be discovered by probing ids.
 */
export const getEvent = Effect.fn("getEvent")(function*(eventId: EventId, viewer: UserId | null) {
  const found = yield* (yield* EventRepository).findById(eventId)
  if (Option.isNone(found)) return yield* new EventNotFound({ eventId })
  const event = found.value
  if (event.status === "draft" && event.organizerId !== viewer) return yield* new EventNotFound({ eventId })
  return event
})
