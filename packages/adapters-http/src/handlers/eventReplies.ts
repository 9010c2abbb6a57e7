import { HttpServerResponse } from "effect/http"
import type { Event, PageInfo } from "@ticketmania/domain"
import { eventJson, pageJson } from "./wire.ts"

// The event reads are the API's hottest routes, and most of their cost was turning the same
// events into JSON again on every request (schema encoding, JSON.stringify, UTF-8 encoding). Here
// the encoded reply is built once per `Event` object (and once per page's array of events) and
// reused. That cannot serve stale bytes: domain objects are immutable, so an event whose sold
// counts moved is a new object, and a caching repository hands out the same objects only while
// nothing changed. Without such a cache every read brings new objects and this is simply the
// encoding. The schema encoder is skipped: `eventJson` is typed as the reply schema's type, whose
// encoded form is that same plain value.

const encoder = new TextEncoder()
const texts = new WeakMap<Event, string>()
const eventBodies = new WeakMap<Event, Uint8Array>()
const pageBodies = new WeakMap<ReadonlyArray<Event>, { readonly metadata: string; readonly body: Uint8Array }>()

/** The JSON text of one event in the reply shape, built once per event object. */
export const eventText = (event: Event): string => {
  let text = texts.get(event)
  if (text === undefined) {
    text = JSON.stringify(eventJson(event))
    texts.set(event, text)
  }
  return text
}

/** A 200 JSON reply of encoded bytes. */
export const jsonReply = (body: Uint8Array) => HttpServerResponse.uint8Array(body, { contentType: "application/json" })

/** `{"event": Event}`, encoded. */
export const eventBody = (event: Event): Uint8Array => {
  let body = eventBodies.get(event)
  if (body === undefined) {
    body = encoder.encode(`{"event":${eventText(event)}}`)
    eventBodies.set(event, body)
  }
  return body
}

/** A page of the listing, `{"events": [Event...], "metadata": {...}}`, encoded. */
export const eventPageBody = (events: ReadonlyArray<Event>, page: PageInfo): Uint8Array => {
  const metadata = JSON.stringify(pageJson(page))
  const known = pageBodies.get(events)
  if (known !== undefined && known.metadata === metadata) return known.body
  const body = encoder.encode(`{"events":[${events.map(eventText).join(",")}],"metadata":${metadata}}`)
  pageBodies.set(events, { metadata, body })
  return body
}
