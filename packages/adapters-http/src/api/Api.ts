import { HttpApi, OpenApi } from "effect/http-api"
import { AccountsApi } from "./AccountsApi.ts"
import { EventsApi } from "./EventsApi.ts"
import { Authentication, RequestErrors } from "./middleware.ts"
import { OrdersApi } from "./OrdersApi.ts"
import { SystemApi } from "./SystemApi.ts"

/**
 * The TicketMania REST API, contract v1: every route, with its request and reply shapes and the
 * status of every error. The OpenAPI document is generated from it.
 */
export class Api extends HttpApi.make("ticketmania")
  .add(AccountsApi)
  .add(EventsApi)
  .add(OrdersApi)
  .add(SystemApi)
  // Added after the groups so that they cover every endpoint; the last one added runs first.
  .middleware(RequestErrors)
  .middleware(Authentication)
  .annotateMerge(OpenApi.annotations({
    title: "TicketMania API",
    version: "1",
    description: "Event ticketing. Errors are `{\"error\": <message or field map>, \"code\": <machine code>}`."
  }))
{}
