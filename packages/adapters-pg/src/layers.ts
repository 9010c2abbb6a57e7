import { Layer } from "effect"
import { MigrationsLive } from "./migrate.ts"
import { PgTicketInventory } from "./inventory/PgTicketInventory.ts"
import { PgEventRepository } from "./repositories/PgEventRepository.ts"
import { PgMailOutbox } from "./repositories/PgMailOutbox.ts"
import { PgUserRepository } from "./repositories/PgUserRepository.ts"

/**
 * Every storage port on PostgreSQL — `UserRepository`, `EventRepository`, `TicketInventory`,
 * `MailOutbox` — over the `SqlClient` it is given (the schema must be migrated).
 */
export const PgAdaptersLive = Layer.mergeAll(PgUserRepository, PgEventRepository, PgTicketInventory, PgMailOutbox)

/** `PgAdaptersLive` after migrating: the storage ports over a `SqlClient`, schema up to date first. */
export const PgStorageLive = PgAdaptersLive.pipe(Layer.provide(MigrationsLive))
