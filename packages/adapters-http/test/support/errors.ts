import { EditConflict, Forbidden, IdempotencyInProgress } from "@ticketmania/domain"
import { envelopeOf, statusOf } from "../../src/index.ts"
import { toApiError } from "../../src/handlers/domainErrors.ts"

export { statusOf }

/** The status and body a domain error with no route of its own would get. */
export const toApiErrorForTest = (tag: "Forbidden" | "EditConflict" | "IdempotencyInProgress") => {
  const domain = tag === "Forbidden"
    ? new Forbidden({ reason: "not your event" })
    : tag === "EditConflict"
    ? new EditConflict()
    : new IdempotencyInProgress()
  const error = toApiError(domain)
  return { status: statusOf(error), body: envelopeOf(error) }
}
