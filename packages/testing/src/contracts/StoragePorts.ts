import type { EventRepository, MailOutbox, TicketInventory, UserRepository } from "@ticketmania/domain"

/** The ports a storage adapter (in memory, PostgreSQL) provides together over one database. */
export type StoragePorts = UserRepository | EventRepository | TicketInventory | MailOutbox

/** Options every contract suite accepts. */
export interface ContractOptions {
  /** Per-test and layer build timeout; a real database needs more than memory. */
  readonly timeout?: number
}
