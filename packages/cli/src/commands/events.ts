import { Effect } from "effect"
import type { Event } from "@ticketmania/domain"
import {
  createEvent,
  CreateEventInput,
  decodeInput,
  EventId,
  findUserByEmail,
  inspectEvent,
  listEvents,
  ValidationFailed
} from "@ticketmania/domain"
import { eventJson, pageJson, timestamp } from "@ticketmania/adapters-http"
import { money, type Output, table } from "../output.ts"
import { runCommand } from "../runtime.ts"
import { eventBody, type EventFlags } from "./eventBody.ts"

const decodeCreateEvent = decodeInput(CreateEventInput)

const describeEvent = (event: Event): string =>
  [
    `Event ${event.id}: ${event.title} (${event.status})`,
    `  ${timestamp(event.startTime)} → ${timestamp(event.endTime)}${event.location === "" ? "" : `, ${event.location}`}`,
    table(
      ["type", "id", "price", "sold", "left", "max/order"],
      event.ticketTypes.map((tt) => [tt.name, tt.id, money(tt.price, tt.currency), tt.soldQty, tt.availableQty, tt.maxPerOrder])
    )
  ].join("\n")

/** `events create`: the organizer is named by email; the body as for `POST /v1/events`. */
export const createEventCommand = async (flags: EventFlags & { readonly organizer: string }, output: Output) => {
  const program = Effect.gen(function*() {
    const body = yield* Effect.tryPromise({
      try: () => eventBody(flags),
      catch: (e) => ValidationFailed.field("file", `cannot be read as JSON: ${e instanceof Error ? e.message : String(e)}`)
    })
    // Check the organizer and the body together, so one run names every problem.
    const [organizer, checked] = yield* Effect.all([
      Effect.result(findUserByEmail(flags.organizer)),
      Effect.result(decodeCreateEvent(body))
    ])
    const fields = {
      ...(organizer._tag === "Failure" ? { organizer: organizer.failure.fields.email ?? "is not a user" } : {}),
      ...(checked._tag === "Failure" ? checked.failure.fields : {})
    }
    if (organizer._tag === "Failure" || checked._tag === "Failure") return yield* new ValidationFailed({ fields })
    return yield* createEvent(body, organizer.success.id)
  })
  await runCommand(output, program, (event) => ({ json: { event: eventJson(event) }, text: () => `created ${describeEvent(event)}` }))
}

/** `events list`: published events, paged, as `GET /v1/events`. */
export const listEventsCommand = async (options: { page?: string; limit?: string; q?: string }, output: Output) => {
  const query = {
    ...(options.page === undefined ? {} : { page: options.page }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.q === undefined ? {} : { q: options.q })
  }
  await runCommand(output, listEvents(query), ({ events, page }) => ({
    json: { events: events.map(eventJson), metadata: pageJson(page) },
    text: () =>
      events.length === 0
        ? page.total === 0 ? "no events" : `no events on page ${page.currentPage} (${page.totalPages} pages, ${page.total} events)`
        : `${table(
          ["id", "title", "starts", "location", "left"],
          events.map((e) => [e.id, e.title, timestamp(e.startTime), e.location, e.ticketTypes.reduce((n, t) => n + t.availableQty, 0)])
        )}\npage ${page.currentPage} of ${page.totalPages}, ${page.total} in all`
  }))
}

const decodeId = decodeInput(EventId)

/** Parses an event id argument, reporting a bad one as a validation failure on `id`. */
export const eventIdArgument = (text: string) =>
  decodeId(/^\d+$/.test(text) ? Number(text) : text).pipe(
    Effect.mapError(() => ValidationFailed.field("id", "must be a positive integer"))
  )

/** `events show <id>`: one event, drafts included (operators see everything). */
export const showEventCommand = async (id: string, output: Output) => {
  await runCommand(output, Effect.flatMap(eventIdArgument(id), inspectEvent), (event) => ({
    json: { event: eventJson(event) },
    text: () => describeEvent(event)
  }))
}
