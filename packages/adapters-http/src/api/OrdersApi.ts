import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { PurchaseItemInput } from "@ticketmania/domain"
import { bodyErrors, everyRoute } from "./common.ts"
import { Conflict, NotFound, Unavailable, Unprocessable, ValidationError } from "./errors.ts"
import { PurchaseReply } from "./schemas.ts"

const receipt = HttpApiSchema.WithHeaders(PurchaseReply.pipe(HttpApiSchema.status(201)), {
  "idempotent-replayed": Schema.optional(Schema.Literal("true")).annotate({
    description: "Present when this is the stored reply of an earlier request with the same Idempotency-Key"
  })
})

const purchase = <const Name extends string, const Path extends `/${string}`>(name: Name, path: Path) =>
  HttpApiEndpoint.post(name, path, {
    payload: Schema.Union([PurchaseItemInput, Schema.Array(PurchaseItemInput)]),
    headers: {
      "idempotency-key": Schema.optional(Schema.String).annotate({
        description: "1 to 255 printable ASCII characters; a retry with the same key and body is answered once"
      })
    },
    success: receipt,
    error: [...bodyErrors, ...everyRoute, ValidationError, Unprocessable, NotFound, Conflict, Unavailable]
  })

/** Ticket purchases: one order per request, sold entirely or not at all. Authentication optional. */
export class OrdersApi extends HttpApiGroup.make("orders")
  .add(
    purchase("buyTicket", "/v1/buy-ticket").annotateMerge(OpenApi.annotations({
      summary: "Buy tickets (the original service's path)",
      description: "The body is one purchase object or an array of them. " +
        "409 `sold_out` names the ticket type, the quantity asked and the quantity left; nothing is sold. " +
        "503 `unavailable` with `Retry-After` when too many purchases are already waiting."
    })),
    purchase("createOrder", "/v1/orders").annotateMerge(OpenApi.annotations({
      summary: "Buy tickets",
      description: "Same as POST /v1/buy-ticket."
    }))
  )
  .annotateMerge(OpenApi.annotations({ title: "Orders" }))
{}
