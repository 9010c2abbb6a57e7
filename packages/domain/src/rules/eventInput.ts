import { DateTime, Effect, Schema } from "effect"
import { ValidationFailed } from "../errors.ts"
import { Integer, TrimmedText, intBetween, maxLength, noNul } from "../model/checks.ts"
import type { EventStatus } from "../model/Event.ts"
import { Currency, MinorUnits } from "../model/Money.ts"
import type { UserId } from "../model/ids.ts"

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}:\d{2})$/
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** An RFC 3339 date-time with offset, or `HH:MM` (read on `date`, in UTC) as the Go service took. */
const EventTime = Schema.String.check(
  Schema.makeFilter((s: string) =>
    RFC3339.test(s) || CLOCK_TIME.test(s) || "must be an RFC 3339 date-time with offset, e.g. 2026-06-15T09:00:00Z"
  )
)

const CalendarDate = Schema.String.check(
  Schema.makeFilter((s: string) =>
    (ISO_DATE.test(s) && DateTime.make(`${s}T00:00:00Z`)._tag === "Some") || "must be a date in YYYY-MM-DD form"
  )
)

/** One ticket type as an organizer describes it. */
export const TicketTypeInput = Schema.Struct({
  name: TrimmedText(1, 100),
  price: MinorUnits,
  currency: Currency,
  total_qty: Integer.check(intBetween(1, 1_000_000)),
  max_per_order: Schema.optionalKey(Integer.check(intBetween(1, 1_000_000)))
})
export type TicketTypeInput = typeof TicketTypeInput.Type

/** The body of "create event", in the contract's snake_case. */
export const CreateEventInput = Schema.Struct({
  title: TrimmedText(1, 200),
  description: Schema.optionalKey(Schema.String.check(maxLength(5000), noNul)),
  location: Schema.optionalKey(Schema.Trim.check(maxLength(200), noNul)),
  date: Schema.optionalKey(CalendarDate),
  start_time: EventTime,
  end_time: EventTime,
  status: Schema.optionalKey(Schema.Literals(["published", "draft"]).annotate({ message: "must be published or draft" })),
  ticket_types: Schema.Array(TicketTypeInput).check(
    Schema.makeFilter((items: ReadonlyArray<unknown>) =>
      (items.length >= 1 && items.length <= 50) || "must list 1 to 50 ticket types"
    )
  )
})
export type CreateEventInput = typeof CreateEventInput.Type

/** The default cap on tickets of one type in one order. */
export const DEFAULT_MAX_PER_ORDER = 10

/** A valid event, ready to be stored. */
export interface NewEvent {
  readonly title: string
  readonly description: string
  readonly location: string
  readonly date: string
  readonly startTime: DateTime.Utc
  readonly endTime: DateTime.Utc
  readonly status: EventStatus
  readonly organizerId: UserId
  readonly ticketTypes: ReadonlyArray<{
    readonly name: string
    readonly price: number
    readonly currency: Currency
    readonly totalQty: number
    readonly maxPerOrder: number
  }>
}

const resolveTime = (value: string, date: string | undefined): DateTime.Utc | undefined => {
  const text = CLOCK_TIME.test(value) ? (date === undefined ? undefined : `${date}T${value}:00Z`) : value
  if (text === undefined) return undefined
  const parsed = DateTime.make(text)
  return parsed._tag === "Some" ? DateTime.toUtc(parsed.value) : undefined
}

/**
 * Applies the rules that relate fields to each other and to the clock: times resolve and are in
 * order, the start is not in the past, `date` matches the start, ticket type names are unique
 * (ignoring case). All failures are reported together.
 */
export const toNewEvent = Effect.fnUntraced(function*(input: CreateEventInput, organizerId: UserId) {
  const now = yield* DateTime.now
  const fields: Record<string, string> = {}
  const start = resolveTime(input.start_time, input.date)
  const end = resolveTime(input.end_time, input.date)
  if (start === undefined) fields.start_time = "must be a date-time with offset, or HH:MM together with date"
  if (end === undefined) fields.end_time = "must be a date-time with offset, or HH:MM together with date"
  if (start !== undefined && DateTime.isLessThan(start, now)) fields.start_time = "must not be in the past"
  if (start !== undefined && end !== undefined && !DateTime.isGreaterThan(end, start)) {
    fields.end_time = "must be after start_time"
  }
  const startDate = start === undefined ? undefined : DateTime.formatIsoDateUtc(start)
  if (input.date !== undefined && startDate !== undefined && input.date !== startDate) {
    fields.date = `must equal the UTC date of start_time (${startDate})`
  }
  const seen = new Set<string>()
  input.ticket_types.forEach((tt, i) => {
    const key = tt.name.toLowerCase()
    if (seen.has(key)) fields[`ticket_types[${i}].name`] = "must be unique within the event (ignoring case)"
    seen.add(key)
  })
  if (start === undefined || end === undefined || startDate === undefined || Object.keys(fields).length > 0) {
    return yield* new ValidationFailed({ fields })
  }
  const event: NewEvent = {
    title: input.title,
    description: input.description ?? "",
    location: input.location ?? "",
    date: startDate,
    startTime: start,
    endTime: end,
    status: input.status ?? "published",
    organizerId,
    ticketTypes: input.ticket_types.map((tt) => ({
      name: tt.name,
      price: tt.price,
      currency: tt.currency,
      totalQty: tt.total_qty,
      maxPerOrder: tt.max_per_order ?? DEFAULT_MAX_PER_ORDER
    }))
  }
  return event
})
