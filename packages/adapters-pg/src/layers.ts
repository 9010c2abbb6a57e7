import { Layer } from "effect"
import { admitEvents, admitInventory, admitOutbox, admitUsers } from "./admission.ts"
import { MigrationsLive } from "./migrate.ts"
import { PgTicketInventory } from "./inventory/PgTicketInventory.ts"
import { PgEventRepository } from "./repositories/PgEventRepository.ts"
import { PgMailOutbox } from "./repositories/PgMailOutbox.ts"
import { PgUserRepository } from "./repositories/PgUserRepository.ts"

/**
 * Every storage port on PostgreSQL — `UserRepository`, `EventRepository`, `TicketInventory`,
 * `MailOutbox` — over the `SqlClient` it is given (the schema must be migrated). Each operation
 * waits for a free connection no longer than the `PgAdmission` in the context allows.
 */
export const PgAdaptersLive = Layer.mergeAll(
  admitUsers(PgUserRepository),
  admitEvents(PgEventRepository),
  admitInventory(PgTicketInventory),
  admitOutbox(PgMailOutbox)
)

/** `PgAdaptersLive` after migrating: the storage ports over a `SqlClient`, schema up to date first. */
export const PgStorageLive = PgAdaptersLive.pipe(Layer.provide(MigrationsLive))
