import { Effect, Option } from "effect"
import { EventNotFound } from "../errors.ts"
import type { EventId } from "../model/ids.ts"
import { EventRepository } from "../ports/EventRepository.ts"

/** One event whatever its status, for operators (the admin CLI); the public read is `getEvent`. */
export const inspectEvent = Effect.fn("inspectEvent")(function*(eventId: EventId) {
  const found = yield* (yield* EventRepository).findById(eventId)
  if (Option.isNone(found)) return yield* new EventNotFound({ eventId })
  return found.value
})
