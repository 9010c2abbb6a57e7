import { Schema } from "effect"
import { intBetween, maxLength, noNul } from "../model/checks.ts"

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Orders the listing may be sorted by; ties are always broken by id so pages are stable. */
const SORTS = ["start_time", "-start_time", "title", "-title", "created_at", "-created_at"] as const
export const EventSort = Schema.Literals(SORTS).annotate({ message: `must be one of ${SORTS.join(", ")}` })
export type EventSort = typeof EventSort.Type

const QueryDate = Schema.String.check(
  Schema.makeFilter((s: string) => (ISO_DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))) || "must be a date in YYYY-MM-DD form")
)

/** A query string number: accepts `"2"` as well as `2`. */
const QueryInt = (min: number, max: number | undefined) =>
  Schema.Union([Schema.Number, Schema.NumberFromString]).check(
    Schema.makeFilter((n: number) => Number.isSafeInteger(n) || "must be an integer"),
    intBetween(min, max)
  )

const QueryBool = Schema.Union([Schema.Boolean, Schema.Literals(["true", "false"])])

/** The listing's filters, sort and page, as given (strings from a query string are accepted). */
export const ListEventsInput = Schema.Struct({
  page: Schema.optionalKey(QueryInt(1, undefined)),
  limit: Schema.optionalKey(QueryInt(1, 100)),
  q: Schema.optionalKey(Schema.Trim.check(noNul, maxLength(200))),
  from: Schema.optionalKey(QueryDate),
  to: Schema.optionalKey(QueryDate),
  available: Schema.optionalKey(QueryBool),
  sort: Schema.optionalKey(EventSort)
})
export type ListEventsInput = typeof ListEventsInput.Type

/** A normalised listing query: defaults applied, ready for a repository. */
export interface ListEventsQuery {
  readonly page: number
  readonly limit: number
  readonly q: string | undefined
  /** Inclusive: events starting on or after this UTC date. */
  readonly from: string | undefined
  /** Inclusive: events starting on or before this UTC date. */
  readonly to: string | undefined
  readonly availableOnly: boolean
  readonly sort: EventSort
}

export const DEFAULT_PAGE_SIZE = 20

/** Applies the listing defaults. */
export const toListEventsQuery = (input: ListEventsInput): ListEventsQuery => ({
  page: Number(input.page ?? 1),
  limit: Number(input.limit ?? DEFAULT_PAGE_SIZE),
  q: input.q === undefined || input.q === "" ? undefined : input.q,
  from: input.from,
  to: input.to,
  availableOnly: input.available === true || input.available === "true",
  sort: input.sort ?? "start_time"
})

/** Page metadata of a listing. */
export interface PageInfo {
  readonly currentPage: number
  readonly perPage: number
  readonly totalPages: number
  readonly total: number
}

/** Computes page metadata from the query and the number of matching events. */
export const pageInfo = (query: ListEventsQuery, total: number): PageInfo => ({
  currentPage: query.page,
  perPage: query.limit,
  totalPages: Math.ceil(total / query.limit),
  total
})
