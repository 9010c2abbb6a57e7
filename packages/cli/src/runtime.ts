import { type Effect, Exit, Layer, Logger, ManagedRuntime, References } from "effect"
import { BcryptPasswordHasherLive, CryptoTicketCodes } from "@ticketmania/adapters-node"
import { DatabaseLive, PgStorageLive } from "@ticketmania/adapters-pg"
import { type Output, type Printable, print, reportFailure } from "./output.ts"

/**
 * The core's ports for CLI commands: PostgreSQL storage (schema brought up to date first, as
 * `serve` does, so a newcomer's first command works), bcrypt, secure ticket codes. The database is
 * `--database-url`, else `DATABASE_URL`, else the embedded cluster `npm start` uses.
 */
export const CliCoreLive = Layer.mergeAll(PgStorageLive, BcryptPasswordHasherLive, CryptoTicketCodes).pipe(
  Layer.provide(DatabaseLive)
)

/** Logs go to stderr (stdout is for results), warnings only unless `--verbose`. */
const cliLogging = (output: Output) =>
  Layer.mergeAll(
    Layer.succeed(Logger.LogToStderr, true),
    Layer.succeed(References.MinimumLogLevel, output.verbose ? "Debug" : "Warn")
  )

/** Just the database connection, for the migration commands (which must not migrate first). */
export const CliDatabaseLive = DatabaseLive

/**
 * Runs one command's effect on a fresh runtime built from `layer` (the same layers as the
 * service) and reports: the result on stdout, or one line on stderr and exit code 1. The runtime
 * (pool, embedded database) is always released.
 */
export const runWith = async <A, E, R, LE>(
  layer: Layer.Layer<R, LE>,
  output: Output,
  effect: Effect.Effect<A, E, R>,
  render: (value: A) => Printable
): Promise<void> => {
  const runtime = ManagedRuntime.make(layer.pipe(Layer.provideMerge(cliLogging(output))))
  const exit = await runtime.runPromiseExit(effect)
  await runtime.dispose()
  if (Exit.isSuccess(exit)) print(output, render(exit.value))
  else {
    reportFailure(exit, output)
    process.exitCode = 1
  }
}

/** What a data command's effect may require: the core's ports. */
export type CliServices = Layer.Success<typeof CliCoreLive>

/** Runs a data command against the core's ports (see `runWith`). */
export const runCommand = <A, E>(output: Output, effect: Effect.Effect<A, E, CliServices>, render: (value: A) => Printable) =>
  runWith(CliCoreLive, output, effect, render)
