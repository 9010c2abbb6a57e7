import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { CreateEventInput } from "@ticketmania/domain"
import { bodyErrors, everyRoute } from "./common.ts"
import { Forbidden, NotFound, ValidationError } from "./errors.ts"
import { RequireUser } from "./middleware.ts"
import { EventListReply, EventReply } from "./schemas.ts"

const created = HttpApiSchema.WithHeaders(EventReply.pipe(HttpApiSchema.status(201)), {
  location: Schema.String.annotate({ description: "/v1/events/{id}" })
})

const createEvent = <const Name extends string, const Path extends `/${string}`>(name: Name, path: Path) =>
  HttpApiEndpoint.post(name, path, {
    payload: CreateEventInput,
    success: created,
    error: [...bodyErrors, ...everyRoute, ValidationError, Forbidden]
  }).middleware(RequireUser)

// Query values arrive as strings and are validated by the use case, which names every bad one;
// the schema only documents them (and turns a repeated key into a 422 through `RequestErrors`).
const text = Schema.optional(Schema.String)

/** Events: create (two paths, as the original service), list, read. */
export class EventsApi extends HttpApiGroup.make("events")
  .add(
    createEvent("createEvent", "/v1/create-event").annotateMerge(OpenApi.annotations({
      summary: "Create an event (the original service's path)",
      description: "The organizer is the token's user. Replies 201 with `Location: /v1/events/{id}`."
    })),
    createEvent("createEventAlias", "/v1/events").annotateMerge(OpenApi.annotations({
      summary: "Create an event",
      description: "Same as POST /v1/create-event."
    })),
    HttpApiEndpoint.get("listEvents", "/v1/events", {
      query: {
        page: text.annotate({ description: "Page number, >= 1 (default 1)" }),
        limit: text.annotate({ description: "Page size, 1 to 100 (default 20)" }),
        page_size: text.annotate({ description: "Alias of limit" }),
        q: text.annotate({ description: "Case-insensitive match in title or location" }),
        from: text.annotate({ description: "YYYY-MM-DD: events starting on or after" }),
        to: text.annotate({ description: "YYYY-MM-DD: events starting on or before" }),
        available: text.annotate({ description: "true: only events with tickets left" }),
        sort: text.annotate({ description: "start_time (default), -start_time, title, -title, created_at, -created_at" })
      },
      success: EventListReply,
      error: [...everyRoute, ValidationError]
    }).annotateMerge(OpenApi.annotations({ summary: "List published events" })),
    HttpApiEndpoint.get("getEvent", "/v1/events/:id", {
      params: { id: Schema.String.annotate({ description: "Event id, a positive integer" }) },
      success: EventReply,
      error: [...everyRoute, NotFound]
    }).annotateMerge(OpenApi.annotations({
      summary: "Read an event with its ticket types",
      description: "404 for an unknown id, and for a draft unless the caller is its organizer."
    }))
  )
  .annotateMerge(OpenApi.annotations({ title: "Events" }))
{}
