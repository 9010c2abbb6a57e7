import { Command, Option as Flag } from "commander"
import type { EventFlags } from "./commands/eventBody.ts"
import type { Output } from "./output.ts"

// Commands are loaded when they run: `--help` and usage errors answer without loading Effect,
// the database driver and every adapter.
const events = () => import("./commands/events.ts")
const migrations = () => import("./commands/migrate.ts")

interface GlobalOptions {
  readonly databaseUrl?: string
  readonly json?: boolean
  readonly verbose?: boolean
}

const collect = (value: string, previous: ReadonlyArray<string> = []) => [...previous, value]

/**
 * The `ticketmania` command tree (see CLI.md). Every action drives the domain's use cases through
 * the same layers as the HTTP service; none writes SQL of its own.
 */
export const makeProgram = (): Command => {
  const program = new Command("ticketmania")
    .description("TicketMania: serve the ticketing API and administer its data")
    .option("--database-url <url>", "PostgreSQL URL (default: DATABASE_URL, else the embedded cluster npm start uses)")
    .option("--json", "print results as JSON on stdout (the HTTP API's shapes), nothing else")
    .option("--verbose", "log more, and print full causes of failures")
    .showHelpAfterError()
    .exitOverride()

  // Global options apply before any command runs: the database URL goes where every layer reads it.
  const globals = (command: Command): Output => {
    const options = command.optsWithGlobals<GlobalOptions>()
    if (options.databaseUrl !== undefined) process.env.DATABASE_URL = options.databaseUrl
    return { json: options.json === true, verbose: options.verbose === true }
  }

  program.command("serve")
    .description("start the HTTP API (what npm start runs); applies pending migrations first")
    .option("--port <n>", "port to listen on (default: PORT, else 4000)")
    .option("--host <h>", "address to listen on (default: HOST, else all)")
    .option("--no-migrate", "do not apply pending migrations")
    .action((options: { port?: string; host?: string; migrate: boolean }, command: Command) =>
      import("./commands/serve.ts").then((m) => m.serveCommand(options, globals(command)))
    )

  const migrate = program.command("migrate").description("manage the database schema (forward-only)")
  migrate.command("up").description("apply pending migrations").action((_: unknown, command: Command) =>
    migrations().then((m) => m.migrateUp(globals(command)))
  )
  migrate.command("status").description("list applied and pending migrations").action((_: unknown, command: Command) =>
    migrations().then((m) => m.migrateStatus(globals(command)))
  )
  migrate.command("new").argument("<name>", "what the migration does, in snake_case").description(
    "create the next numbered migration file"
  ).action((name: string, _: unknown, command: Command) =>
    import("./commands/migrateNew.ts").then((m) => m.migrateNew(name, globals(command)))
  )

  const users = program.command("users").description("manage users")
  users.command("create")
    .description("create a user; the password comes from stdin or a prompt, never from argv")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--email <email>", "email address")
    .option("--password-stdin", "read the password from the first line of stdin")
    .action((options: { name: string; email: string; passwordStdin?: boolean }, command: Command) =>
      import("./commands/users.ts").then((m) => m.createUser(options, globals(command)))
    )

  const eventsCommand = program.command("events").description("manage events")
  eventsCommand.command("create")
    .description("create an event for an organizer, from a JSON file or from flags")
    .requiredOption("--organizer <email>", "the organizer's email")
    .option("--file <path>", "the event as JSON, as for POST /v1/events")
    .option("--title <title>")
    .option("--start <iso>", "start, RFC 3339 (e.g. 2026-06-15T09:00:00Z)")
    .option("--end <iso>", "end, RFC 3339")
    .option("--description <text>")
    .option("--location <text>")
    .option("--draft", "create as a draft (not listed, not on sale)")
    .addOption(new Flag("--ticket-type <spec>", "NAME:PRICE:CURRENCY:QTY, price in minor units; repeatable").argParser(collect))
    .action((options: EventFlags & { organizer: string }, command: Command) =>
      events().then((m) => m.createEventCommand(options, globals(command)))
    )
  eventsCommand.command("list")
    .description("list published events")
    .option("--page <n>")
    .option("--limit <n>")
    .option("--q <text>", "search title and location")
    .action((options: { page?: string; limit?: string; q?: string }, command: Command) =>
      events().then((m) => m.listEventsCommand(options, globals(command)))
    )
  eventsCommand.command("show").argument("<id>").description("show one event, drafts included").action(
    (id: string, _: unknown, command: Command) => events().then((m) => m.showEventCommand(id, globals(command)))
  )

  program.command("sales").description("sales figures").command("report").argument("<event-id>").description(
    "per ticket type: sold, left, revenue; and totals"
  ).action((id: string, _: unknown, command: Command) =>
    import("./commands/sales.ts").then((m) => m.salesReportCommand(id, globals(command)))
  )

  return program
}
