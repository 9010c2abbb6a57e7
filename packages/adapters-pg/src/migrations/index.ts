import { Migrator } from "effect/sql"
import createUsers from "./0001_create_users.ts"
import createEvents from "./0002_create_events.ts"
import createOrdersAndTickets from "./0003_create_orders_and_tickets.ts"
import createIdempotencyKeys from "./0004_create_idempotency_keys.ts"
import createMailOutbox from "./0005_create_mail_outbox.ts"
import addMailClaimToken from "./0006_add_mail_claim_token.ts"

/**
 * Every migration, forward-only, keyed `<id>_<name>`. Never edit or reorder a released one: add a
 * new file with the next id instead.
 */
export const migrations = Migrator.fromRecord({
  "0001_create_users": createUsers,
  "0002_create_events": createEvents,
  "0003_create_orders_and_tickets": createOrdersAndTickets,
  "0004_create_idempotency_keys": createIdempotencyKeys,
  "0005_create_mail_outbox": createMailOutbox,
  "0006_add_mail_claim_token": addMailClaimToken
})
