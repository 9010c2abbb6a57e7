import { Context, type Effect } from "effect"
import type { TicketCode } from "../model/Order.ts"

/** Source of unguessable ticket codes (at least 128 bits of randomness each). */
export class TicketCodes extends Context.Service<TicketCodes, {
  generate(count: number): Effect.Effect<ReadonlyArray<TicketCode>>
}>()("@ticketmania/domain/TicketCodes") {}
