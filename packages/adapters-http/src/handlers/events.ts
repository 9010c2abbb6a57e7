import { Effect, Option } from "effect"
import { HttpApiBuilder, HttpApiSchema } from "effect/http-api"
import { createEvent, EventId, getEvent, listEvents, ValidationFailed } from "@ticketmania/domain"
import { Api } from "../api/Api.ts"
import { NotFound } from "../api/errors.ts"
import { CurrentUser, Viewer } from "../api/middleware.ts"
import { readJsonBody } from "../http/body.ts"
import { fromDomain } from "./domainErrors.ts"
import { eventPageReply, eventReply } from "./eventReplies.ts"
import { eventJson } from "./wire.ts"

const create = Effect.gen(function*() {
  const organizer = yield* CurrentUser
  const body = yield* readJsonBody("object")
  const event = yield* createEvent(body, organizer.id).pipe(Effect.mapError(fromDomain))
  return HttpApiSchema.withHeaders({ body: { event: eventJson(event) }, headers: { location: `/v1/events/${event.id}` } })
})

/** Query parameters as the use case takes them; `page_size` is an alias of `limit`. */
const listInput = (query: Readonly<Record<string, string | undefined>>) => {
  const { page_size, ...rest } = query
  const input: Record<string, string> = {}
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) input[key] = value
  const aliased = input.limit === undefined && page_size !== undefined
  if (aliased) input.limit = page_size
  return { input, aliased }
}

/** Reports a bad `limit` under the name the client used. */
const renameLimit = (error: ValidationFailed): ValidationFailed => {
  const { limit, ...fields } = error.fields
  return limit === undefined ? error : new ValidationFailed({ fields: { ...fields, page_size: limit } })
}

const decodeId = (raw: string): Option.Option<EventId> =>
  /^[1-9]\d{0,15}$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Option.some(EventId.make(Number(raw))) : Option.none()

/** Creating (two paths), listing and reading events. */
export const EventsHandlers = HttpApiBuilder.group(Api, "events", (handlers) =>
  handlers
    .handleRaw("createEvent", () => create)
    .handleRaw("createEventAlias", () => create)
    .handle("listEvents", ({ query }) => {
      const { input, aliased } = listInput(query)
      return listEvents(input).pipe(
        Effect.mapError((error) => fromDomain(aliased ? renameLimit(error) : error)),
        Effect.map(({ events, page }) => eventPageReply(events, page))
      )
    })
    // The hottest route: plain combinators rather than a generator.
    .handle("getEvent", ({ params }) => {
      const id = decodeId(params.id)
      if (Option.isNone(id)) return Effect.fail(NotFound.fromMessage(`event ${JSON.stringify(params.id)} was not found`))
      return Viewer.use((viewer) =>
        getEvent(id.value, Option.isSome(viewer) ? viewer.value.id : null).pipe(
          Effect.mapError(fromDomain),
          Effect.map(eventReply)
        ))
    }))
