import { Effect, Exit, Redacted, Scope } from "effect"
import { mkdtemp, rm, chmod } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type {} from "vitest"
import { startEmbeddedPostgres } from "../embedded/EmbeddedPostgres.ts"
import { runningAsRoot } from "../embedded/permissions.ts"

/** The key under which the test server's URL is provided to tests (`inject(TEST_DATABASE_URL_KEY)`). */
export const TEST_DATABASE_URL_KEY = "ticketmaniaDatabaseUrl"

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server URL on which tests may create and drop databases. */
    ticketmaniaDatabaseUrl: string
  }
}

/** What vitest hands a global setup: enough to provide values to the tests. */
export interface ProvidingProject {
  provide(key: typeof TEST_DATABASE_URL_KEY, value: string): void
}

/**
 * A vitest `globalSetup`: provides `ticketmaniaDatabaseUrl`. With `TEST_DATABASE_URL` set it is
 * that server; otherwise a throw-away embedded cluster (no fsync) in a temporary directory,
 * stopped and deleted when the run ends. Re-export it from a package's `test/globalSetup.ts`.
 */
export default async function setup(project: ProvidingProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL
  if (given !== undefined && given !== "") {
    project.provide(TEST_DATABASE_URL_KEY, given)
    return async () => {}
  }
  const parent = await mkdtemp(join(tmpdir(), "ticketmania-pg-"))
  // mkdtemp makes it 0700; as root the server runs as `postgres` and must get through it.
  if (runningAsRoot()) await chmod(parent, 0o755)
  const scope = await Effect.runPromise(Scope.make())
  const started = await Effect.runPromiseExit(
    Scope.provide(startEmbeddedPostgres({ dataDir: join(parent, "data"), database: "postgres", ephemeral: true }), scope)
  )
  if (Exit.isFailure(started)) {
    await rm(parent, { recursive: true, force: true })
    throw new Error(`could not start the test PostgreSQL: ${String(started.cause)}`)
  }
  project.provide(TEST_DATABASE_URL_KEY, Redacted.value(started.value.adminUrl))
  return async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await rm(parent, { recursive: true, force: true })
  }
}
