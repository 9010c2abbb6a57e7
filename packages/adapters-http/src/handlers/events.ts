import { Context, Effect, Option, Schema } from "effect"
import type { HttpServerRequest } from "effect/http"
import { HttpApiBuilder, HttpApiSchema } from "effect/http-api"
import {
  createEvent,
  EventId,
  EventSnapshots,
  type EventSnapshotsShape,
  getEvent,
  listEvents,
  ListEventsInput,
  toListEventsQuery,
  ValidationFailed
} from "@ticketmania/domain"
import { Api } from "../api/Api.ts"
import { NotFound } from "../api/errors.ts"
import { CurrentUser, Viewer } from "../api/middleware.ts"
import { readJsonBody } from "../http/body.ts"
import { ReplyMemo } from "../http/replyMemo.ts"
import { fromDomain } from "./domainErrors.ts"
import { eventBody, eventPageBody, jsonReply } from "./eventReplies.ts"
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

/**
 * The reply to an anonymous read, remembered for the server's fast path (`http/replyMemo.ts`)
 * while `current` (what the event snapshots would give now) still returns `source`.
 */
const anonymousReply = (
  request: HttpServerRequest.HttpServerRequest,
  body: Uint8Array,
  source: object,
  current: (snapshots: EventSnapshotsShape) => object | undefined
) =>
  Effect.map(Effect.context<never>(), (context) => {
    const memo = Context.get(context, ReplyMemo)
    if (memo !== undefined) {
      const snapshots = Context.get(context, EventSnapshots)
      memo.remember(request.url, source, () => current(snapshots), body)
    }
    return jsonReply(body)
  })

const decodeListQuery = Schema.decodeUnknownOption(ListEventsInput)

/** Creating (two paths), listing and reading events. */
export const EventsHandlers = HttpApiBuilder.group(Api, "events", (handlers) =>
  handlers
    .handleRaw("createEvent", () => create)
    .handleRaw("createEventAlias", () => create)
    .handle("listEvents", ({ query, request }) => {
      const { input, aliased } = listInput(query)
      return Viewer.use((viewer) =>
        listEvents(input).pipe(
          Effect.mapError((error) => fromDomain(aliased ? renameLimit(error) : error)),
          Effect.flatMap(({ events, page }) => {
            const body = eventPageBody(events, page)
            // Decoded again only to know which page to ask the snapshots for; it passed once.
            const decoded = Option.isNone(viewer) ? decodeListQuery(input) : Option.none()
            if (Option.isNone(decoded)) return Effect.succeed(jsonReply(body))
            const listQuery = toListEventsQuery(decoded.value)
            return anonymousReply(request, body, events, (snapshots) => snapshots.page(listQuery)?.events)
          })
        ))
    })
    // The hottest route: plain combinators rather than a generator.
    .handle("getEvent", ({ params, request }) => {
      const id = decodeId(params.id)
      if (Option.isNone(id)) return Effect.fail(NotFound.fromMessage(`event ${JSON.stringify(params.id)} was not found`))
      const eventId = id.value
      return Viewer.use((viewer) =>
        getEvent(eventId, Option.isSome(viewer) ? viewer.value.id : null).pipe(
          Effect.mapError(fromDomain),
          Effect.flatMap((event) =>
            // Only anonymous reads are remembered: they are the same for everyone.
            Option.isSome(viewer)
              ? Effect.succeed(jsonReply(eventBody(event)))
              : anonymousReply(request, eventBody(event), event, (snapshots) => snapshots.event(eventId))
          )
        ))
    }))
