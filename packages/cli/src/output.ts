import { Cause, Exit, Option } from "effect"
import { ValidationFailed } from "@ticketmania/domain"

/** How a command reports: to people (tables, text) or to programs (`--json`: JSON only on stdout). */
export interface Output {
  readonly json: boolean
  readonly verbose: boolean
}

/** Something a command prints: the JSON form, and the form for people. */
export interface Printable {
  readonly json: unknown
  readonly text: () => string
}

/** Prints a command's result on stdout in the chosen form. */
export const print = (output: Output, result: Printable): void => {
  process.stdout.write(output.json ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text()}\n`)
}

/** A plain-text table with a header row and columns padded to their widest cell. */
export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string => {
  const cells = [headers, ...rows.map((row) => row.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)))
  const line = (row: ReadonlyArray<string>) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n")
}

/** Minor units as a decimal amount with its currency: 5000000 NGN → "50000.00 NGN". */
export const money = (minor: number, currency: string): string => `${(minor / 100).toFixed(2)} ${currency}`

const describeError = (error: unknown): string => {
  if (error instanceof ValidationFailed) {
    return `invalid input: ${Object.entries(error.fields).map(([path, message]) => `${path} ${message}`).join("; ")}`
  }
  return error instanceof Error ? error.message : String(error)
}

/**
 * The one line a failed command prints on stderr: the domain's own message (every invalid field
 * for validation failures). With `--verbose`, the full cause follows.
 */
export const reportFailure = <A, E>(exit: Exit.Exit<A, E>, output: Output): void => {
  if (Exit.isSuccess(exit)) return
  const failure = Cause.findErrorOption(exit.cause)
  const line = Option.isSome(failure)
    ? describeError(failure.value)
    : `unexpected failure: ${describeError(Cause.squash(exit.cause))}`
  process.stderr.write(`error: ${line}\n`)
  if (output.verbose) process.stderr.write(`${Cause.pretty(exit.cause)}\n`)
}
