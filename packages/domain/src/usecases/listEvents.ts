import { Effect } from "effect"
import { EventRepository } from "../ports/EventRepository.ts"
import { ListEventsInput, pageInfo, toListEventsQuery } from "../rules/listQuery.ts"
import { decodeInput } from "../rules/validate.ts"

const decodeListEvents = decodeInput(ListEventsInput)

/**
 * Lists published events: `{ page, limit, q, from, to, available, sort }`, all optional (strings
 * from a query string are accepted). Returns the page of events and its page metadata; a page past
 * the end is empty, not an error.
 */
export const listEvents = Effect.fn("listEvents")(function*(input: unknown) {
  const query = toListEventsQuery(yield* decodeListEvents(input))
  const { events, total } = yield* (yield* EventRepository).listPublished(query)
  return { events, page: pageInfo(query, total) }
})
