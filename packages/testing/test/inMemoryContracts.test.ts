import { InMemoryPasswordHasher, InMemoryStorage, InMemoryTicketCodes, passwordHasherContract, storageContracts, ticketCodesContract } from "@ticketmania/testing"

// The in-memory adapters pass the same contract suites as the PostgreSQL adapters: that is what
// makes them trustworthy stand-ins in fast tests of the core.
storageContracts("in memory", InMemoryStorage)
passwordHasherContract("in memory", InMemoryPasswordHasher)
ticketCodesContract("in memory", InMemoryTicketCodes)
