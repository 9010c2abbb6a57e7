import { randomBytes } from "node:crypto"
import { Effect, Layer } from "effect"
import { TicketCode, TicketCodes } from "@ticketmania/domain"

// 32 symbols without look-alikes (no I, O, 0, 1). 256 is a multiple of 32, so masking a random
// byte to 5 bits is unbiased; 26 symbols carry 130 bits.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
const SYMBOLS = 26

const code = (bytes: Buffer, offset: number): TicketCode => {
  let out = ""
  for (let i = 0; i < SYMBOLS; i++) out += ALPHABET[(bytes[offset + i] ?? 0) & 31]
  return TicketCode.make(out)
}

/** `TicketCodes` from the operating system's cryptographic random source. */
export const CryptoTicketCodes = Layer.succeed(
  TicketCodes,
  TicketCodes.of({
    generate: (count) =>
      Effect.sync(() => {
        const bytes = randomBytes(count * SYMBOLS)
        return Array.from({ length: count }, (_, i) => code(bytes, i * SYMBOLS))
      })
  })
)
