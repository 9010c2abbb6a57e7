import { DateTime, Effect, Layer } from "effect"
import { MailOutbox, type OutboxEntry } from "@ticketmania/domain"
import { InMemoryStore, type OutboxRow } from "./InMemoryStore.ts"
import { insertOutboxRows } from "./outboxRows.ts"

/** `MailOutbox` over the in-memory store, with the same claim, lease and token rules as the SQL one. */
export const InMemoryMailOutbox = Layer.effect(
  MailOutbox,
  Effect.gen(function*() {
    const store = yield* InMemoryStore
    const { outbox } = store.tables
    let claims = 0

    // Settles a message only for the holder of its current claim (call inside a transaction).
    const settleUnsafe = (entry: OutboxEntry, change: (row: OutboxRow) => OutboxRow): boolean => {
      const row = outbox.get(entry.id)
      if (row === undefined || row.claim !== entry.claim) return false
      outbox.set(entry.id, { ...change(row), attempts: row.attempts + 1, lockedUntil: null, claim: null })
      return true
    }
    const sent = (row: OutboxRow): OutboxRow => ({ ...row, status: "sent", lastError: null })

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
            const claim = `claim-${++claims}`
            outbox.set(row.id, { ...row, lockedUntil, claim })
            return { id: row.id, message: row.message, attempts: row.attempts, claim, dueAt: row.nextAttemptAt }
          })
        })),
      // The whole group in one transaction, as the SQL adapter's one statement.
      markSent: (entries) =>
        store.transaction(Effect.sync(() => new Set(entries.filter((entry) => settleUnsafe(entry, sent)).map((entry) => entry.id)))),
      markFailed: (entry, error, retryAt) =>
        store.transaction(Effect.sync(() => settleUnsafe(entry, (row) => ({
          ...row,
          status: retryAt === null ? "failed" : "pending",
          lastError: error,
          nextAttemptAt: retryAt ?? row.nextAttemptAt
        }))))
    })
  })
)
