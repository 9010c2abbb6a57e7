/**
 * @ticketmania/testing — in-memory adapters of every TicketMania port, and the contract suites
 * every adapter of a port must pass (the PostgreSQL adapter runs the same suites).
 */
export * from "./contracts/index.ts"
export * from "./fixtures.ts"
export { InMemoryEventRepository } from "./memory/InMemoryEventRepository.ts"
export { InMemoryInbox, InMemoryMailer } from "./memory/InMemoryMailer.ts"
export { InMemoryMailOutbox } from "./memory/InMemoryMailOutbox.ts"
export { InMemoryPasswordHasher, makeInMemoryPasswordHasher } from "./memory/InMemoryPasswordHasher.ts"
export { InMemoryStore } from "./memory/InMemoryStore.ts"
export { InMemoryTicketCodes } from "./memory/InMemoryTicketCodes.ts"
export { InMemoryTicketInventory } from "./memory/InMemoryTicketInventory.ts"
export { InMemoryUserRepository } from "./memory/InMemoryUserRepository.ts"
export { InMemoryCore, InMemoryStorage } from "./memory/layers.ts"
