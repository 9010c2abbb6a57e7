import { Context } from "effect"

/**
 * What the edge middleware knows about the request it is handling, filled in as the request goes
 * (the authentication middleware records the user), for the access log line.
 */
export class RequestState extends Context.Service<RequestState, {
  readonly requestId: string
  userId: string | null
}>()("@ticketmania/adapters-http/RequestState") {}

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** A client's `X-Request-Id` when it is safe to echo and log, else a fresh one. */
export const requestIdFor = (incoming: string | undefined): string =>
  incoming !== undefined && VALID_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
