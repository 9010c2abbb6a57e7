import { Effect, Option } from "effect"
import { HttpApiBuilder, HttpApiSchema } from "effect/http-api"
import { purchaseTickets } from "@ticketmania/domain"
import { Api } from "../api/Api.ts"
import { Viewer } from "../api/middleware.ts"
import { readJsonBody } from "../http/body.ts"
import { fromDomain, retryLater } from "./domainErrors.ts"
import { purchaseJson } from "./wire.ts"

const purchase = ({ headers }: { readonly headers: { readonly "idempotency-key"?: string | undefined } }) =>
  Effect.gen(function*() {
    const viewer = yield* Viewer
    const body = yield* readJsonBody("object-or-array")
    return yield* purchaseTickets(body, {
      userId: Option.getOrNull(Option.map(viewer, (user) => user.id)),
      idempotencyKey: headers["idempotency-key"] ?? null
    }).pipe(
      // A replay answers exactly as the first request did, marked so clients can tell.
      Effect.map(({ receipt, replayed }) =>
        HttpApiSchema.withHeaders({
          body: purchaseJson(receipt),
          headers: replayed ? { "idempotent-replayed": "true" as const } : {}
        })
      ),
      Effect.catchTag("Overloaded", (overloaded) => Effect.succeed(retryLater(overloaded))),
      Effect.mapError(fromDomain)
    )
  })

/** POST /v1/buy-ticket and POST /v1/orders. */
export const OrdersHandlers = HttpApiBuilder.group(Api, "orders", (handlers) =>
  handlers
    .handleRaw("buyTicket", purchase)
    .handleRaw("createOrder", purchase))
