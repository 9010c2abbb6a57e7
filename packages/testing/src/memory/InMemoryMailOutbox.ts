import { DateTime, Effect, Layer } from "effect"
import { MailOutbox, type OutboxEntry } from "@ticketmania/domain"
import { InMemoryStore } from "./InMemoryStore.ts"
import { insertOutboxRows } from "./outboxRows.ts"

/** `MailOutbox` over the in-memory store, with the same claim/lease rules as the SQL one. */
export const InMemoryMailOutbox = Layer.effect(
  MailOutbox,
  Effect.gen(function*() {
    const store = yield* InMemoryStore
    const { outbox } = store.tables

    const update = (id: number, change: (row: NonNullable<ReturnType<typeof outbox.get>>) => void) =>
      store.transaction(Effect.sync(() => {
        const row = outbox.get(id)
        if (row !== undefined) change(row)
      }))

    return MailOutbox.of({
      enqueue: (message) =>
        Effect.flatMap(DateTime.now, (now) => store.transaction(Effect.sync(() => insertOutboxRows(store, [message], now)))),
      claimDue: (limit, now, leaseMillis) =>
        store.transaction(Effect.sync(() => {
          const due = [...outbox.values()]
            .filter((row) =>
              row.status === "pending" &&
              !DateTime.isGreaterThan(row.nextAttemptAt, now) &&
              (row.lockedUntil === null || !DateTime.isGreaterThan(row.lockedUntil, now))
            )
            .sort((a, b) => a.id - b.id)
            .slice(0, limit)
          const lockedUntil = DateTime.add(now, { milliseconds: leaseMillis })
          return due.map((row): OutboxEntry => {
            outbox.set(row.id, { ...row, lockedUntil })
            return { id: row.id, message: row.message, attempts: row.attempts }
          })
        })),
      markSent: (id) => update(id, (row) => outbox.set(id, { ...row, status: "sent", attempts: row.attempts + 1, lockedUntil: null })),
      markFailed: (id, error, retryAt) =>
        update(id, (row) =>
          outbox.set(id, {
            ...row,
            status: retryAt === null ? "failed" : "pending",
            attempts: row.attempts + 1,
            lastError: error,
            nextAttemptAt: retryAt ?? row.nextAttemptAt,
            lockedUntil: null
          }))
    })
  })
)
