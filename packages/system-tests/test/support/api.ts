// Plain HTTP against a running service: every reply is read whole and its JSON parsed, so tests
// can assert the contract's envelope on every status.

/** A parsed JSON value, loosely typed for reading nested fields in assertions. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** One reply: status, headers, raw text and the parsed body (undefined when not JSON). */
export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Json | undefined
  readonly isJson: boolean
}

/** What a request may carry. */
export interface Call {
  readonly method?: string
  /** Serialized as JSON unless already a string; sets `content-type: application/json`. */
  readonly json?: unknown
  /** A raw body with no content type added. */
  readonly body?: string | Uint8Array
  readonly token?: string
  readonly headers?: Record<string, string>
  /** Abort after this many ms (default 30 s: longer than any bound the service promises). */
  readonly timeoutMillis?: number
}

const parse = (text: string): Json | undefined => {
  try {
    return JSON.parse(text) as Json
  } catch {
    return undefined
  }
}

/** Sends one request to `base + path` and reads the reply whole. Network errors reject. */
export const call = async (base: string, path: string, init: Call = {}): Promise<Reply> => {
  const headers = new Headers(init.headers)
  let body: string | Uint8Array | undefined = init.body
  if (init.json !== undefined) {
    body = typeof init.json === "string" ? init.json : JSON.stringify(init.json)
    if (!headers.has("content-type")) headers.set("content-type", "application/json")
  }
  if (init.token !== undefined) headers.set("authorization", `Bearer ${init.token}`)
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(init.timeoutMillis ?? 30_000)
  })
  const text = await res.text()
  const parsed = parse(text)
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: parsed,
    isJson: parsed !== undefined && (res.headers.get("content-type") ?? "").includes("application/json")
  }
}

/** A field of a JSON object, or undefined. */
export const field = (value: Json | undefined, ...path: ReadonlyArray<string | number>): Json | undefined => {
  let current: Json | undefined = value
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined
    current = Array.isArray(current) ? (current as ReadonlyArray<Json>)[key as number] : (current as Record<string, Json>)[key as string]
  }
  return current
}

/** A numeric field, or a thrown error naming the reply. */
export const num = (reply: Reply, ...path: ReadonlyArray<string | number>): number => {
  const value = field(reply.body, ...path)
  if (typeof value !== "number") throw new Error(`no number at ${path.join(".")} in ${reply.status} ${reply.text.slice(0, 500)}`)
  return value
}

let counter = 0
/** A unique label for emails and keys within a run. */
export const unique = (label: string) => `${label}-${process.pid}-${Date.now().toString(36)}-${++counter}`

export const PASSWORD = "correct horse battery"

/** Registers and logs in a fresh user. */
export const signUp = async (base: string, label = "organizer") => {
  const email = `${unique(label)}@example.com`
  const registered = await call(base, "/v1/register", { json: { name: `Test ${label}`, email, password: PASSWORD } })
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.text}`)
  const login = await call(base, "/v1/login", { json: { email, password: PASSWORD } })
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`)
  const token = field(login.body, "token")
  if (typeof token !== "string") throw new Error(`login gave no token: ${login.text}`)
  return { email, token, id: num(registered, "user", "id") }
}

/** A ticket type of a create-event body. */
export interface TicketTypeSpec {
  readonly name: string
  readonly price?: number
  readonly currency?: string
  readonly total_qty: number
  readonly max_per_order?: number
}

/** A valid create-event body starting in a few years; override any field. */
export const eventBody = (ticketTypes: ReadonlyArray<TicketTypeSpec>, overrides: Record<string, unknown> = {}) => ({
  title: "Flash Sale Night",
  description: "A concert whose tickets go in minutes",
  location: "Lagos, Nigeria",
  start_time: "2031-06-15T19:00:00Z",
  end_time: "2031-06-15T23:00:00Z",
  ticket_types: ticketTypes.map((t) => ({ price: 5000, currency: "NGN", ...t })),
  ...overrides
})

/** A created event: its id and its ticket types' ids, in the order given. */
export interface CreatedEvent {
  readonly id: number
  readonly ticketTypeIds: ReadonlyArray<number>
  readonly reply: Reply
}

/** Creates an event as `token`'s user. */
export const createEvent = async (
  base: string,
  token: string,
  ticketTypes: ReadonlyArray<TicketTypeSpec>,
  overrides: Record<string, unknown> = {}
): Promise<CreatedEvent> => {
  const reply = await call(base, "/v1/events", { token, json: eventBody(ticketTypes, overrides) })
  if (reply.status !== 201) throw new Error(`create event: ${reply.status} ${reply.text}`)
  const types = field(reply.body, "event", "ticket_types")
  const ticketTypeIds = Array.isArray(types) ? types.map((_, i) => num(reply, "event", "ticket_types", i, "id")) : []
  return { id: num(reply, "event", "id"), ticketTypeIds, reply }
}

/** A buy-ticket line. */
export const line = (ticketTypeId: number, quantity: number, buyerEmail = "buyer@example.com") => ({
  ticketTypeId,
  quantity,
  buyerEmail,
  buyerPhone: "+2348123456789"
})
