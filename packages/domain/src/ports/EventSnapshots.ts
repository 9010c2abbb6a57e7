import { Context } from "effect"
import type { Event } from "../model/Event.ts"
import type { EventId } from "../model/ids.ts"
import type { ListEventsQuery } from "../rules/listQuery.ts"
import type { EventPage } from "./EventRepository.ts"

/** The synchronous reads of `EventSnapshots`. */
export interface EventSnapshotsShape {
  readonly event: (id: EventId) => Event | undefined
  readonly page: (query: ListEventsQuery) => EventPage | undefined
}

/**
 * What `EventRepository` would answer right now, when an adapter knows it without any I/O: the
 * very objects its next `findById` / `listPublished` would return, or `undefined` when that takes
 * a load. Synchronous on purpose: an adapter serving hot reads (the HTTP adapter's reply memo)
 * asks it on every request to learn whether what it answered before still stands — the same
 * object means nothing changed, because domain objects are immutable.
 *
 * A reference whose default knows nothing (so it does not show in layer types); a caching
 * `EventRepository` provides the real one.
 */
export class EventSnapshots extends Context.Reference<EventSnapshotsShape>("@ticketmania/domain/EventSnapshots", {
  defaultValue: () => ({ event: () => undefined, page: () => undefined })
}) {}
