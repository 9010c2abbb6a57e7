import { Layer } from "effect"
import { InMemoryEventRepository } from "./InMemoryEventRepository.ts"
import { InMemoryMailer } from "./InMemoryMailer.ts"
import { InMemoryMailOutbox } from "./InMemoryMailOutbox.ts"
import { InMemoryPasswordHasher } from "./InMemoryPasswordHasher.ts"
import { InMemoryStore } from "./InMemoryStore.ts"
import { InMemoryTicketCodes } from "./InMemoryTicketCodes.ts"
import { InMemoryTicketInventory } from "./InMemoryTicketInventory.ts"
import { InMemoryUserRepository } from "./InMemoryUserRepository.ts"

/** The storage ports (users, events, inventory, outbox) over one shared in-memory store. */
export const InMemoryStorage = Layer.mergeAll(
  InMemoryUserRepository,
  InMemoryEventRepository,
  InMemoryTicketInventory,
  InMemoryMailOutbox
).pipe(Layer.provideMerge(InMemoryStore.layer))

/**
 * Every port of the core in memory: what an embedding service or a test needs to run all use
 * cases with no database. Each build of the layer is a fresh, empty world.
 */
export const InMemoryCore = Layer.mergeAll(InMemoryStorage, InMemoryPasswordHasher, InMemoryTicketCodes, InMemoryMailer)
