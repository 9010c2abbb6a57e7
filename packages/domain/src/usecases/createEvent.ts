import { Effect } from "effect"
import type { UserId } from "../model/ids.ts"
import { EventRepository } from "../ports/EventRepository.ts"
import { CreateEventInput, toNewEvent } from "../rules/eventInput.ts"
import { decodeInput } from "../rules/validate.ts"

const decodeCreateEvent = decodeInput(CreateEventInput)

/**
 * Creates an event with its ticket types, organized by `organizerId`, from the contract's
 * snake_case body. Fails with `ValidationFailed` listing every bad field.
 */
export const createEvent = Effect.fn("createEvent")(function*(input: unknown, organizerId: UserId) {
  const decoded = yield* decodeCreateEvent(input)
  const event = yield* toNewEvent(decoded, organizerId)
  return yield* (yield* EventRepository).create(event)
})
