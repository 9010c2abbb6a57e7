// A tiny request helper shared by the in-process and the over-the-socket tests.
import { request as httpRequest } from "node:http"

/** `fetch`-like, with `json` (serialized unless already a string) and a bearer `token`. */
export type Send = (path: string, init?: RequestInit & { readonly json?: unknown; readonly token?: string }) => Promise<Response>

/** Builds the Request for `path` on `base`. */
export const buildRequest = (base: string, path: string, init: Parameters<Send>[1] = {}): Request => {
  const { json, token, ...rest } = init
  const headers = new Headers(rest.headers)
  if (json !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json")
  if (token !== undefined) headers.set("authorization", `Bearer ${token}`)
  return new Request(`${base}${path}`, {
    ...rest,
    headers,
    ...(json === undefined ? {} : { body: typeof json === "string" ? json : JSON.stringify(json) })
  })
}

/** A `Send` over the network to `base`. */
export const fetchClient = (base: string): Send => (path, init) => fetch(buildRequest(base, path, init))

let counter = 0
/** A fresh email address. */
export const freshEmail = (label = "user") => `${label}-${Date.now().toString(36)}-${++counter}@example.com`

/** Registers a user and logs in; returns the token and user id. */
export const signUp = async (send: Send, email = freshEmail()) => {
  const password = "correct horse battery"
  const registered = await send("/v1/register", { method: "POST", json: { name: "Ada Organizer", email, password } })
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`)
  const login = await send("/v1/login", { method: "POST", json: { email, password } })
  const body = (await login.json()) as { token: string; user: { id: number } }
  return { token: body.token, userId: body.user.id, email, password }
}

/** A valid create-event body in the future; override any field. */
export const eventBody = (overrides: Record<string, unknown> = {}) => ({
  title: "Tech Conference 2030",
  description: "Annual technology conference",
  location: "Lagos, Nigeria",
  start_time: "2030-06-15T09:00:00Z",
  end_time: "2030-06-15T18:00:00Z",
  ticket_types: [
    { name: "VIP", price: 50000, currency: "NGN", total_qty: 5 },
    { name: "Regular", price: 25000, currency: "NGN", total_qty: 500 }
  ],
  ...overrides
})

/** Creates an event as `token`'s user; returns the reply body. */
export const makeEvent = async (send: Send, token: string, overrides: Record<string, unknown> = {}) => {
  const res = await send("/v1/events", { method: "POST", token, json: eventBody(overrides) })
  if (res.status !== 201) throw new Error(`create event: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { event: { id: number; ticket_types: Array<{ id: number }> } }).event
}

/** A purchase line. */
export const line = (ticketTypeId: number, quantity: number) => ({
  ticketTypeId,
  quantity,
  buyerEmail: "buyer@example.com",
  buyerPhone: "+2348123456789"
})

/** A parsed JSON reply, loosely typed for reading nested fields in assertions. */
export type Json = { readonly [key: string]: Json } & ReadonlyArray<Json>

/** Status, headers and parsed JSON body of a reply. */
export const read = async (response: Promise<Response> | Response) => {
  const res = await response
  const text = await res.text()
  const body = (text === "" ? undefined : JSON.parse(text)) as Json
  return { status: res.status, headers: res.headers, body }
}

/** Status, headers but the per-request ones (request id, date), and body: what must not tell two ways of answering apart. */
export const comparable = async (response: Response) => {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== "x-request-id" && name !== "date"))
  return { status: response.status, headers, body: await response.text() }
}

/** A body sent in chunks, without Content-Length: the fast paths leave such a request to the full stack. */
export const chunked = (text: string): RequestInit => ({
  body: new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text))
      controller.close()
    }
  }),
  duplex: "half"
} as RequestInit)

/** Sends the headers of a POST and only the first half of its body; resolves with the reply's status. */
export const halfSent = (port: number, path: string, body: string) =>
  new Promise<{ readonly status: number; readonly finish: () => void }>((resolve, reject) => {
    const request = httpRequest({
      host: "127.0.0.1",
      port,
      path,
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
    }, (response) => {
      response.resume()
      resolve({ status: response.statusCode ?? 0, finish: () => request.end(body.slice(body.length / 2)) })
    })
    request.on("error", reject)
    request.write(body.slice(0, body.length / 2))
  })
