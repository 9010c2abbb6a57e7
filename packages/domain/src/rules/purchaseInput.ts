import { Effect, Option, Schema } from "effect"
import { ValidationFailed } from "../errors.ts"
import { Integer, intBetween } from "../model/checks.ts"
import { Email } from "../model/Email.ts"
import { EventId, TicketTypeId } from "../model/ids.ts"
import type { UserId } from "../model/ids.ts"
import { Phone } from "../model/Phone.ts"
import { decodeInput } from "./validate.ts"

/** The most tickets one request may buy, whatever the ticket types allow. */
export const MAX_TICKETS_PER_ORDER = 100

/** One line of the buy-ticket body (camelCase, as the original service took it). */
export const PurchaseLineInput = Schema.Struct({
  ticketTypeId: TicketTypeId,
  quantity: Integer.check(intBetween(1, MAX_TICKETS_PER_ORDER)),
  buyerEmail: Email,
  buyerPhone: Phone
})

/** One purchase object: an event and the ticket types wanted from it. */
export const PurchaseItemInput = Schema.Struct({
  eventId: EventId,
  ticketTypes: Schema.Array(PurchaseLineInput).check(
    Schema.makeFilter((lines: ReadonlyArray<unknown>) => lines.length >= 1 || "must list at least one ticket type")
  )
})
export type PurchaseItemInput = typeof PurchaseItemInput.Type

const PurchaseItemsInput = Schema.Array(PurchaseItemInput).check(
  Schema.makeFilter((items: ReadonlyArray<unknown>) => items.length >= 1 || "must hold at least one purchase")
)

/** An optional client-chosen key that makes retries safe: 1–255 printable ASCII characters. */
export const IdempotencyKey = Schema.String.check(
  Schema.makeFilter((s: string) => /^[\x20-\x7e]{1,255}$/.test(s) || "must be 1 to 255 printable ASCII characters")
).pipe(Schema.brand("IdempotencyKey"))
export type IdempotencyKey = typeof IdempotencyKey.Type

/** One requested line, flattened, remembering where it came from for error messages. */
export interface PurchaseLine {
  readonly eventId: EventId
  readonly ticketTypeId: TicketTypeId
  readonly quantity: number
  readonly buyerEmail: Email
  readonly buyerPhone: Phone
  /** Path of the line in the request, e.g. `[0].ticketTypes[1]` (or `ticketTypes[1]`). */
  readonly path: string
}

/** A purchase request in domain terms: all of it is one order, sold entirely or not at all. */
export interface PurchaseRequest {
  readonly lines: readonly [PurchaseLine, ...Array<PurchaseLine>]
  /** The signed-in buyer, or null for a guest. */
  readonly userId: UserId | null
}

const flatten = (items: ReadonlyArray<PurchaseItemInput>, prefix: (i: number) => string): Array<PurchaseLine> =>
  items.flatMap((item, i) =>
    item.ticketTypes.map((line, j) => ({
      eventId: item.eventId,
      ticketTypeId: line.ticketTypeId,
      quantity: line.quantity,
      buyerEmail: line.buyerEmail,
      buyerPhone: line.buyerPhone,
      path: `${prefix(i)}ticketTypes[${j}]`
    }))
  )

const decodeItem = decodeInput(PurchaseItemInput)
const decodeItems = decodeInput(PurchaseItemsInput)
const decodeItemNow = Schema.decodeUnknownOption(PurchaseItemInput)
const decodeItemsNow = Schema.decodeUnknownOption(PurchaseItemsInput)

/** The lines of the decoded items as a request; undefined if there are none. */
const requestOf = (lines: Array<PurchaseLine>, userId: UserId | null): PurchaseRequest | undefined => {
  const [first, ...rest] = lines
  return first === undefined ? undefined : { lines: [first, ...rest], userId }
}

/**
 * Decodes a buy-ticket body — one purchase object or an array of them — into a request.
 * Every invalid field is reported at once.
 */
export const decodePurchaseRequest = Effect.fnUntraced(function*(body: unknown, userId: UserId | null) {
  const lines = Array.isArray(body)
    ? flatten(yield* decodeItems(body), (i) => `[${i}].`)
    : flatten([yield* decodeItem(body)], () => "")
  const request = requestOf(lines, userId)
  if (request === undefined) return yield* ValidationFailed.field("ticketTypes", "must list at least one ticket type")
  return request
})

/**
 * `decodePurchaseRequest` at once, without an effect: the request, or undefined when the body is
 * not a valid one (only `decodePurchaseRequest` says why).
 */
export const decodePurchaseRequestNow = (body: unknown, userId: UserId | null): PurchaseRequest | undefined => {
  const lines = Array.isArray(body)
    ? Option.map(decodeItemsNow(body), (items) => flatten(items, (i) => `[${i}].`))
    : Option.map(decodeItemNow(body), (item) => flatten([item], () => ""))
  return Option.isNone(lines) ? undefined : requestOf(lines.value, userId)
}

/**
 * A stable text form of a request, equal for equal requests: what an idempotency record
 * remembers to tell a true retry from a different request under the same key.
 */
export const purchaseFingerprint = (request: PurchaseRequest): string =>
  JSON.stringify({
    u: request.userId,
    l: request.lines.map((l) => [l.eventId, l.ticketTypeId, l.quantity, l.buyerEmail, l.buyerPhone])
  })
