import { Context, type Effect, type Option } from "effect"
import type { Event } from "../model/Event.ts"
import type { EventId } from "../model/ids.ts"
import type { NewEvent } from "../rules/eventInput.ts"
import type { ListEventsQuery } from "../rules/listQuery.ts"

/** A page of the listing and how many events match in all. */
export interface EventPage {
  readonly events: ReadonlyArray<Event>
  readonly total: number
}

/** Stores events with their ticket types. */
export class EventRepository extends Context.Service<EventRepository, {
  /** Stores an event and all its ticket types in one step; ticket types get ids in input order. */
  create(event: NewEvent): Effect.Effect<Event>
  /** An event with its ticket types ordered by id, whatever its status. */
  findById(id: EventId): Effect.Effect<Option.Option<Event>>
  /**
   * Published events matching the query (case-insensitive `q` in title or location, start date
   * within `from`/`to`, stock left when `availableOnly`), sorted with ties broken by id.
   */
  listPublished(query: ListEventsQuery): Effect.Effect<EventPage>
}>()("@ticketmania/domain/EventRepository") {}
