import { Schema } from "effect"

// Wire shapes of the replies: snake_case, timestamps as RFC 3339 strings, money in minor units.
// They are plain structs (their encoded form equals their type), filled by `handlers/wire.ts`
// from the domain's camelCase models.

const Id = Schema.Int.annotate({ description: "A positive integer id" })
const Timestamp = Schema.String.annotate({ description: "RFC 3339 UTC timestamp, e.g. 2026-02-07T10:30:00Z" })

/** A user as anyone may see it. */
export const UserJson = Schema.Struct({
  id: Id,
  name: Schema.String,
  email: Schema.String,
  created_at: Timestamp
}).annotate({ identifier: "User" })
export type UserJson = typeof UserJson.Type

/** One tier of tickets of an event, with its inventory. */
export const TicketTypeJson = Schema.Struct({
  id: Id,
  event_id: Id,
  name: Schema.String,
  price: Schema.Int.annotate({ description: "Minor units of the currency" }),
  currency: Schema.String,
  total_qty: Schema.Int,
  sold_qty: Schema.Int,
  available_qty: Schema.Int,
  max_per_order: Schema.Int
}).annotate({ identifier: "TicketType" })

/** An event with its ticket types, ordered by id. */
export const EventJson = Schema.Struct({
  id: Id,
  title: Schema.String,
  description: Schema.String,
  location: Schema.String,
  date: Schema.String.annotate({ description: "YYYY-MM-DD, the UTC date of start_time" }),
  start_time: Timestamp,
  end_time: Timestamp,
  status: Schema.Literals(["draft", "published", "cancelled"]),
  organizer_id: Id,
  created_at: Timestamp,
  updated_at: Timestamp,
  ticket_types: Schema.Array(TicketTypeJson)
}).annotate({ identifier: "Event" })
export type EventJson = typeof EventJson.Type

/** `{"user": User}` */
export const UserReply = Schema.Struct({ user: UserJson })

/** The reply to a login. */
export const LoginReply = Schema.Struct({
  token: Schema.String,
  token_type: Schema.Literal("Bearer"),
  expires_at: Timestamp,
  user: UserJson
})

/** `{"event": Event}` */
export const EventReply = Schema.Struct({ event: EventJson })
export type EventReply = typeof EventReply.Type

/** One page of the event listing. */
export const EventListReply = Schema.Struct({
  events: Schema.Array(EventJson),
  metadata: Schema.Struct({
    current_page: Schema.Int,
    per_page: Schema.Int,
    total_pages: Schema.Int,
    total: Schema.Int
  })
})

/** An order: one purchase request, sold entirely. */
export const OrderJson = Schema.Struct({
  id: Id,
  user_id: Schema.NullOr(Id),
  buyer_email: Schema.String,
  total_amount: Schema.Int,
  currency: Schema.String,
  created_at: Timestamp
}).annotate({ identifier: "Order" })

/** One sold ticket. */
export const TicketJson = Schema.Struct({
  id: Id,
  order_id: Id,
  event_id: Id,
  ticket_type_id: Id,
  user_id: Schema.NullOr(Id),
  status: Schema.Literals(["sold", "used", "cancelled"]),
  code: Schema.String.annotate({ description: "Unique, unguessable code printed on the ticket" }),
  buyer_email: Schema.String,
  buyer_phone: Schema.String,
  price: Schema.Int,
  created_at: Timestamp
}).annotate({ identifier: "Ticket" })

/** The receipt of a purchase (also what an idempotent replay returns). */
export const PurchaseReply = Schema.Struct({
  order: OrderJson,
  tickets: Schema.Array(TicketJson),
  total_amount: Schema.Int,
  currency: Schema.String
})
export type PurchaseReply = typeof PurchaseReply.Type

/** `GET /v1/healthcheck` */
export const HealthReply = Schema.Struct({
  status: Schema.Literal("available"),
  system_info: Schema.Struct({ environment: Schema.String, version: Schema.String })
})

/** `GET /livez`, `GET /readyz` when all is well. */
export const ProbeReply = Schema.Struct({ status: Schema.Literals(["alive", "ready"]) })
