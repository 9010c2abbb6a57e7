// The few API calls the bench makes to set a scenario up, through the public HTTP API like any
// client (so the data is exactly what the service itself would store).

/** A ticket type as the API returns it (the keys the bench reads). */
export interface TicketTypeJson {
  readonly id: number
  readonly event_id: number
  readonly name: string
  readonly total_qty: number
  readonly sold_qty: number
}

/** An event as the API returns it (the keys the bench reads). */
export interface EventJson {
  readonly id: number
  readonly title: string
  readonly ticket_types: ReadonlyArray<TicketTypeJson>
}

/** A ticket type to create. */
export interface NewTicketType {
  readonly name: string
  readonly price: number
  readonly total_qty: number
  readonly max_per_order?: number
}

const call = async <A>(base: string, method: string, path: string, body: unknown, token?: string): Promise<A> => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000)
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return JSON.parse(text) as A
}

/** Registers an organizer and logs in; returns the bearer token. */
export const organizerToken = async (base: string): Promise<string> => {
  const user = { name: "Bench Organizer", email: "organizer@bench.test", password: "bench-password-123" }
  await call(base, "POST", "/v1/register", user)
  const { token } = await call<{ token: string }>(base, "POST", "/v1/login", { email: user.email, password: user.password })
  return token
}

const DAY = 86_400_000

/** Creates a published event starting `inDays` from now (sales are open until it starts). */
export const createEvent = async (
  base: string,
  token: string,
  title: string,
  inDays: number,
  ticketTypes: ReadonlyArray<NewTicketType>
): Promise<EventJson> => {
  const start = new Date(Math.floor((Date.now() + inDays * DAY) / 60_000) * 60_000)
  const end = new Date(start.getTime() + 3 * 3_600_000)
  const { event } = await call<{ event: EventJson }>(base, "POST", "/v1/events", {
    title,
    description: `${title}: a benchmark event with a description of a realistic length for a listing page.`,
    location: "Bench Arena, Lagos",
    start_time: start.toISOString(),
    end_time: end.toISOString(),
    ticket_types: ticketTypes.map((t) => ({ currency: "USD", max_per_order: 10, ...t }))
  }, token)
  return event
}

/** The buy-ticket body for `quantity` tickets of one type, as the original README sends it. */
export const purchaseBody = (type: TicketTypeJson, quantity: number): string =>
  JSON.stringify([{
    eventId: type.event_id,
    ticketTypes: [{ ticketTypeId: type.id, quantity, buyerEmail: "buyer@bench.test", buyerPhone: "+2348012345678" }]
  }])

/** The type named `name` of `event`. */
export const typeNamed = (event: EventJson, name: string): TicketTypeJson => {
  const found = event.ticket_types.find((t) => t.name === name)
  if (found === undefined) throw new Error(`event ${event.id} has no ticket type ${name}`)
  return found
}
