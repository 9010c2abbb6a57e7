import { readFile } from "node:fs/promises"

/** Flags of `events create` that describe the event inline (instead of `--file`). */
export interface EventFlags {
  readonly file?: string
  readonly title?: string
  readonly start?: string
  readonly end?: string
  readonly description?: string
  readonly location?: string
  readonly draft?: boolean
  readonly ticketType?: ReadonlyArray<string>
}

// "NAME:PRICE:CURRENCY:QTY", split from the right so that a name may contain colons. Numbers that
// do not parse are passed on as text: the domain's validation then names the bad field.
const ticketType = (spec: string) => {
  const parts = spec.split(":")
  const qty = parts.pop() ?? ""
  const currency = parts.pop() ?? ""
  const price = parts.pop() ?? ""
  const asNumber = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text)
  return { name: parts.join(":"), price: asNumber(price), currency, total_qty: asNumber(qty) }
}

/**
 * The body of "create event" — the same JSON as `POST /v1/events` — read from `--file` or built
 * from the inline flags. Missing pieces are left out so the domain reports each one.
 */
export const eventBody = async (flags: EventFlags): Promise<unknown> => {
  if (flags.file !== undefined) return JSON.parse(await readFile(flags.file, "utf8")) as unknown
  return {
    ...(flags.title === undefined ? {} : { title: flags.title }),
    ...(flags.start === undefined ? {} : { start_time: flags.start }),
    ...(flags.end === undefined ? {} : { end_time: flags.end }),
    ...(flags.description === undefined ? {} : { description: flags.description }),
    ...(flags.location === undefined ? {} : { location: flags.location }),
    status: flags.draft === true ? "draft" : "published",
    ticket_types: (flags.ticketType ?? []).map(ticketType)
  }
}
