import { randomFillSync } from "node:crypto"
import { Effect, Layer } from "effect"
import { TicketCode, TicketCodes } from "@ticketmania/domain"

// 32 symbols without look-alikes (no I, O, 0, 1). 256 is a multiple of 32, so masking a random
// byte to 5 bits is unbiased; 26 symbols carry 130 bits.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
const SYMBOLS = 26

// Random bytes are drawn from the operating system 4 KiB at a time (157 codes) rather than with a
// system call per purchase, as Node's own randomUUID does; each byte is used once.
const POOL_BYTES = 4_096
const pool = Buffer.alloc(POOL_BYTES)
let used = POOL_BYTES

/** The next code, from the pool, refilled when it runs short. */
const nextCode = (): TicketCode => {
  if (used + SYMBOLS > POOL_BYTES) {
    randomFillSync(pool)
    used = 0
  }
  let out = ""
  for (let i = 0; i < SYMBOLS; i++) out += ALPHABET[(pool[used + i] ?? 0) & 31]
  used += SYMBOLS
  return TicketCode.make(out)
}

/** `TicketCodes` from the operating system's cryptographic random source. */
export const CryptoTicketCodes = Layer.succeed(
  TicketCodes,
  TicketCodes.of({
    generate: (count) => Effect.sync(() => Array.from({ length: count }, nextCode))
  })
)
