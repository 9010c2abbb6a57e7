import { DateTime } from "effect"
import type { MailMessage } from "@ticketmania/domain"
import type { InMemoryStore } from "./InMemoryStore.ts"

/** Queues messages inside an ongoing in-memory transaction (shared by the writers that send mail). */
export const insertOutboxRows = (
  store: InMemoryStore["Service"],
  messages: ReadonlyArray<MailMessage>,
  now: DateTime.Utc
): void => {
  for (const message of messages) {
    const id = store.nextId("outbox")
    store.tables.outbox.set(id, {
      id,
      message,
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      claim: null,
      lastError: null
    })
  }
}
