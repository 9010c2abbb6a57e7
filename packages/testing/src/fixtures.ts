import { DateTime, Effect } from "effect"
import {
  Currency,
  Email,
  EventRepository,
  type EventStatus,
  type NewEvent,
  orderConfirmationMail,
  PasswordHash,
  Phone,
  type PurchaseCommand,
  type PurchaseLine,
  TicketCode,
  type TicketType,
  UserRepository
} from "@ticketmania/domain"
import type { Idempotency, UserId } from "@ticketmania/domain"

// Builders shared by the contract suites and tests. Every call makes unique names, so suites can
// share one database without seeing each other's rows.

let counter = 0
const unique = (): string => `${Date.now().toString(36)}${(++counter).toString(36)}`

/** A fresh, unused email address. */
export const uniqueEmail = (label = "user"): Email => Email.make(`${label}-${unique()}@example.test`)

/** A fresh marker to put in titles, for listing queries that must see only one test's events. */
export const uniqueMarker = (label = "m"): string => `${label}${unique()}`

/** A stored user to organize events or buy as. */
export const makeUser = Effect.fn("fixtures.makeUser")(function*(name = "Ada Organizer") {
  const users = yield* UserRepository
  return yield* users.create({ name, email: uniqueEmail(), passwordHash: PasswordHash.make("$fixture$hash") }, []).pipe(
    Effect.orDie
  )
})

/** A ticket type to create, with defaults. */
export interface TicketTypeSpec {
  readonly name?: string
  readonly price?: number
  readonly currency?: string
  readonly totalQty?: number
  readonly maxPerOrder?: number
}

/** An event to create, with defaults: published, starting in 30 days, one ticket type. */
export interface EventSpec {
  readonly title?: string
  readonly location?: string
  readonly status?: EventStatus
  readonly startsInDays?: number
  readonly ticketTypes?: ReadonlyArray<TicketTypeSpec>
}

/** Stores an event through the repository (no validation: that is the use case's job). */
export const makeEvent = Effect.fn("fixtures.makeEvent")(function*(organizerId: UserId, spec: EventSpec = {}) {
  const now = yield* DateTime.now
  const start = DateTime.add(now, { days: spec.startsInDays ?? 30 })
  const event: NewEvent = {
    title: spec.title ?? `Event ${unique()}`,
    description: "",
    location: spec.location ?? "Lagos",
    date: DateTime.formatIsoDateUtc(start),
    startTime: start,
    endTime: DateTime.add(start, { hours: 8 }),
    status: spec.status ?? "published",
    organizerId,
    ticketTypes: (spec.ticketTypes ?? [{}]).map((tt, i) => ({
      name: tt.name ?? `Tier ${i + 1}`,
      price: tt.price ?? 5000,
      currency: Currency.make(tt.currency ?? "NGN"),
      totalQty: tt.totalQty ?? 100,
      maxPerOrder: tt.maxPerOrder ?? 10
    }))
  }
  return yield* (yield* EventRepository).create(event)
})

/** A purchase line for `type`, bought by a fixed guest buyer unless told otherwise. */
export const line = (type: TicketType, quantity: number, buyerEmail = "buyer@example.test"): PurchaseLine => ({
  eventId: type.eventId,
  ticketTypeId: type.id,
  quantity,
  buyerEmail: Email.make(buyerEmail),
  buyerPhone: Phone.make("+2348123456789"),
  path: `ticketTypes[${type.id}]`
})

/** Options of a purchase command. */
export interface CommandOptions {
  readonly userId?: UserId | null
  readonly idempotency?: Idempotency | null
  readonly at?: DateTime.Utc
}

/** A purchase command with fresh unique codes, decided now unless `at` says otherwise. */
export const purchaseCommand = Effect.fn("fixtures.purchaseCommand")(function*(
  lines: readonly [PurchaseLine, ...Array<PurchaseLine>],
  options: CommandOptions = {}
) {
  const wanted = lines.reduce((n, l) => n + Math.max(0, l.quantity), 0)
  const command: PurchaseCommand = {
    request: { lines, userId: options.userId ?? null },
    now: options.at ?? (yield* DateTime.now),
    codes: Array.from({ length: Math.min(wanted, 100) }, () => TicketCode.make(`CODE-${unique()}`)),
    idempotency: options.idempotency ?? null,
    confirmation: orderConfirmationMail
  }
  return command
})

/** The ticket type at `index` of a fixture event; dies if the fixture has none there. */
export const ticketTypeAt = (types: ReadonlyArray<TicketType>, index = 0): Effect.Effect<TicketType> => {
  const found = types[index]
  return found === undefined ? Effect.die(new Error(`fixture has no ticket type ${index}`)) : Effect.succeed(found)
}

/** Current state of an event's ticket types, by name. */
export const ticketTypesOf = Effect.fn("fixtures.ticketTypesOf")(function*(eventId: TicketType["eventId"]) {
  const found = yield* (yield* EventRepository).findById(eventId)
  if (found._tag === "None") return yield* Effect.die(new Error(`event ${eventId} vanished`))
  return found.value.ticketTypes
})
