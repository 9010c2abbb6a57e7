import { Effect, Layer, Random } from "effect"
import { TicketCode, TicketCodes } from "@ticketmania/domain"

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

/**
 * `TicketCodes` drawing from Effect's `Random`, so tests can seed it. 26 symbols of a 32-letter
 * alphabet carry 130 bits, the same shape as the production codes.
 */
export const InMemoryTicketCodes = Layer.succeed(
  TicketCodes,
  TicketCodes.of({
    generate: (count) =>
      Effect.forEach(Array.from({ length: count }), () =>
        Effect.map(
          Effect.forEach(Array.from({ length: 26 }), () => Random.nextIntBetween(0, ALPHABET.length, { halfOpen: true })),
          (indexes) => TicketCode.make(indexes.map((i) => ALPHABET[i]).join(""))
        ))
  })
)
