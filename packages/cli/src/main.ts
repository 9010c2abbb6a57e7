// Entry point of the `ticketmania` command.
import { CommanderError } from "commander"
import { makeProgram } from "./program.ts"

// Usage mistakes exit 2, failures of a command 1 (set by the command), success 0.
const USAGE_ERROR = 2

await makeProgram().parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    const helpOrVersion = ["commander.helpDisplayed", "commander.help", "commander.version"].includes(error.code)
    process.exitCode = helpOrVersion ? 0 : USAGE_ERROR
    return
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
