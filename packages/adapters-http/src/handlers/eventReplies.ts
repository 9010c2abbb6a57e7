import { HttpServerResponse } from "effect/http"
import type { Event, PageInfo } from "@ticketmania/domain"
import { eventJson, pageJson } from "./wire.ts"

// The event reads are the API's hottest routes, and most of their cost was turning the same
// event into JSON again on every request (schema encoding, then JSON.stringify). Here each
// event's JSON text is built once per `Event` object and reused. That cannot serve stale text:
// domain objects are immutable, so an event whose sold counts moved is a new object, and a caching
// repository hands out the same object only while nothing changed. Without such a cache every
// read brings new objects and this is just one JSON.stringify. The schema encoder is skipped:
// `eventJson` is typed as the reply schema's type, whose encoded form is that same plain value.

const texts = new WeakMap<Event, string>()

/** The JSON text of one event in the reply shape, built once per event object. */
export const eventText = (event: Event): string => {
  let text = texts.get(event)
  if (text === undefined) {
    text = JSON.stringify(eventJson(event))
    texts.set(event, text)
  }
  return text
}

const json = (body: string) => HttpServerResponse.text(body, { contentType: "application/json" })

/** `{"event": Event}` */
export const eventReply = (event: Event) => json(`{"event":${eventText(event)}}`)

/** A page of the listing: `{"events": [Event...], "metadata": {...}}` */
export const eventPageReply = (events: ReadonlyArray<Event>, page: PageInfo) =>
  json(`{"events":[${events.map(eventText).join(",")}],"metadata":${JSON.stringify(pageJson(page))}}`)
