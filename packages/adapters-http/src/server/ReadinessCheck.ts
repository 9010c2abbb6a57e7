import { Context, Effect } from "effect"

/**
 * Whether the service's dependencies answer (the database, for the Postgres composition). The
 * composition root provides it; without it the adapter considers itself ready, which suits the
 * in-memory adapters. `/readyz` bounds the check with a timeout.
 */
export const ReadinessCheck = Context.Reference<{ readonly check: Effect.Effect<boolean> }>(
  "@ticketmania/adapters-http/ReadinessCheck",
  { defaultValue: () => ({ check: Effect.succeed(true) }) }
)
