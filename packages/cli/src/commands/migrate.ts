import { migrate, migrationStatus } from "@ticketmania/adapters-pg"
import { type Output, table } from "../output.ts"
import { progress } from "../progress.ts"
import { CliDatabaseLive, runWith } from "../runtime.ts"

/** `migrate up`: applies pending migrations (under the same lock `serve` takes). */
export const migrateUp = (output: Output) =>
  runWith(CliDatabaseLive, output, progress("migrating", migrate), (applied) => ({
    json: { applied: applied.map(([id, name]) => ({ id, name })) },
    text: () =>
      applied.length === 0
        ? "database is up to date"
        : `applied ${applied.length} migration(s):\n${applied.map(([id, name]) => `  ${id} ${name}`).join("\n")}`
  }))

/** `migrate status`: which migrations are applied (and when) and which are pending. */
export const migrateStatus = (output: Output) =>
  runWith(CliDatabaseLive, output, migrationStatus, (status) => ({
    json: {
      applied: status.applied.map((m) => ({ id: m.id, name: m.name, applied_at: m.appliedAt })),
      pending: status.pending.map((m) => ({ id: m.id, name: m.name }))
    },
    text: () =>
      table(
        ["id", "name", "state"],
        [
          ...status.applied.map((m) => [m.id, m.name, `applied ${m.appliedAt}`]),
          ...status.pending.map((m) => [m.id, m.name, "pending"])
        ]
      )
  }))

