import { passwordHasherContract, ticketCodesContract } from "@ticketmania/testing"
import { CryptoTicketCodes, makeBcryptPasswordHasher } from "@ticketmania/adapters-node"

// The production adapters pass the same contracts as their in-memory stand-ins. Cost 4 keeps the
// suite fast; the cost does not change behaviour.
passwordHasherContract("bcrypt", makeBcryptPasswordHasher(4))
ticketCodesContract("node:crypto", CryptoTicketCodes)
