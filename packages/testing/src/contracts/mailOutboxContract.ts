import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { MailMessage, MailOutbox, TicketInventory } from "@ticketmania/domain"
import { line, makeEvent, makeUser, purchaseCommand, uniqueEmail } from "../fixtures.ts"
import type { ContractOptions, StoragePorts } from "./StoragePorts.ts"

const message = (to = uniqueEmail("mail")) =>
  new MailMessage({ kind: "welcome", to, subject: "Welcome to TicketMania!", text: "hello", html: "<p>hello</p>" })

/** Claims everything due a second from now and keeps the entries addressed to `to`. */
const claimFor = (to: string, at?: DateTime.Utc) =>
  Effect.gen(function*() {
    const now = at ?? DateTime.add(yield* DateTime.now, { seconds: 1 })
    const claimed = yield* (yield* MailOutbox).claimDue(10_000, now, 30_000)
    return claimed.filter((entry) => entry.message.to === to)
  })

/** The behaviour every `MailOutbox` must have, and the mail a purchase queues. */
export const mailOutboxContract = <E>(name: string, storage: Layer.Layer<StoragePorts, E>, options: ContractOptions = {}) =>
  layer(storage, { excludeTestServices: true, timeout: options.timeout ?? 60_000 })(`MailOutbox contract (${name})`, (it) => {
    it.effect("hands out a queued message once while its claim lasts, and not after it was sent", () =>
      Effect.gen(function*() {
        const outbox = yield* MailOutbox
        const msg = message()
        const before = yield* DateTime.now
        yield* outbox.enqueue(msg)
        const after = yield* DateTime.now
        const [entry] = yield* claimFor(msg.to)
        assert.strictEqual(entry?.message.subject, msg.subject)
        assert.strictEqual(entry?.attempts, 0)
        // Due since it was queued.
        const dueAt = entry === undefined ? 0 : DateTime.toEpochMillis(entry.dueAt)
        assert.isTrue(dueAt >= DateTime.toEpochMillis(before) && dueAt <= DateTime.toEpochMillis(after), `due at ${dueAt}`)
        assert.deepStrictEqual(yield* claimFor(msg.to), [])
        if (entry !== undefined) assert.deepStrictEqual(yield* outbox.markSent([entry], yield* DateTime.now), new Set([entry.id]))
        const afterLease = DateTime.add(yield* DateTime.now, { minutes: 5 })
        assert.deepStrictEqual(yield* claimFor(msg.to, afterLease), [])
      }))

    it.effect("records a group of deliveries at once, only those whose claim is current", () =>
      Effect.gen(function*() {
        const outbox = yield* MailOutbox
        const to = uniqueEmail("group")
        yield* Effect.forEach([1, 2, 3], () => outbox.enqueue(message(to)))
        const stale = yield* claimFor(to)
        assert.strictEqual(stale.length, 3)
        // The lease lapses; another worker claims all three again.
        const current = yield* claimFor(to, DateTime.add(yield* DateTime.now, { minutes: 5 }))
        const [first, second, third] = current
        const [staleFirst] = stale
        if (first === undefined || second === undefined || third === undefined || staleFirst === undefined) {
          return yield* Effect.die(new Error("messages not claimed"))
        }
        assert.deepStrictEqual(yield* outbox.markSent([], yield* DateTime.now), new Set())
        const recorded = yield* outbox.markSent([first, staleFirst, second], yield* DateTime.now)
        assert.deepStrictEqual(recorded, new Set([first.id, second.id]))
        // Only the third is still out, and comes back once its lease lapses.
        const later = yield* claimFor(to, DateTime.add(yield* DateTime.now, { hours: 1 }))
        assert.deepStrictEqual(later.map((e) => e.id), [third.id])
      }))

    it.effect("hands a message out again when its claim expires unsettled", () =>
      Effect.gen(function*() {
        const msg = message()
        yield* (yield* MailOutbox).enqueue(msg)
        assert.strictEqual((yield* claimFor(msg.to)).length, 1)
        const afterLease = DateTime.add(yield* DateTime.now, { minutes: 5 })
        assert.strictEqual((yield* claimFor(msg.to, afterLease)).length, 1)
      }))

    it.effect("retries a failed message at the time given, counting attempts, and gives up on null", () =>
      Effect.gen(function*() {
        const outbox = yield* MailOutbox
        const msg = message()
        yield* outbox.enqueue(msg)
        const [entry] = yield* claimFor(msg.to)
        if (entry === undefined) return yield* Effect.die(new Error("queued message not claimed"))
        const retryAt = DateTime.add(yield* DateTime.now, { minutes: 10 })
        assert.isTrue(yield* outbox.markFailed(entry, "connection refused", retryAt))
        assert.deepStrictEqual(yield* claimFor(msg.to, DateTime.add(yield* DateTime.now, { minutes: 9 })), [])
        const [retried] = yield* claimFor(msg.to, DateTime.add(retryAt, { seconds: 1 }))
        if (retried === undefined) return yield* Effect.die(new Error("retried message not claimed"))
        assert.strictEqual(retried.attempts, 1)
        // Due since the retry time, not since it was first queued.
        assert.strictEqual(DateTime.toEpochMillis(retried.dueAt), DateTime.toEpochMillis(retryAt))
        assert.isTrue(yield* outbox.markFailed(retried, "mailbox unavailable", null))
        assert.deepStrictEqual(yield* claimFor(msg.to, DateTime.add(retryAt, { days: 1 })), [])
      }))

    it.effect("lets only the current claim settle a message, not one whose lease lapsed", () =>
      Effect.gen(function*() {
        const outbox = yield* MailOutbox
        const msg = message()
        yield* outbox.enqueue(msg)
        const [stale] = yield* claimFor(msg.to)
        const [current] = yield* claimFor(msg.to, DateTime.add(yield* DateTime.now, { minutes: 5 }))
        if (stale === undefined || current === undefined) return yield* Effect.die(new Error("message not claimed twice"))
        assert.notStrictEqual(stale.claim, current.claim)
        assert.isFalse(yield* outbox.markFailed(stale, "timed out", null))
        assert.deepStrictEqual(yield* outbox.markSent([current], yield* DateTime.now), new Set([current.id]))
        assert.deepStrictEqual(yield* outbox.markSent([stale], yield* DateTime.now), new Set())
        assert.deepStrictEqual(yield* claimFor(msg.to, DateTime.add(yield* DateTime.now, { hours: 1 })), [])
      }))

    it.effect("never hands one message to two concurrent claimers", () =>
      Effect.gen(function*() {
        const outbox = yield* MailOutbox
        const to = uniqueEmail("concurrent")
        yield* Effect.forEach(Array.from({ length: 20 }), () => outbox.enqueue(message(to)))
        const now = DateTime.add(yield* DateTime.now, { seconds: 1 })
        const batches = yield* Effect.forEach(Array.from({ length: 5 }), () => outbox.claimDue(7, now, 30_000), {
          concurrency: "unbounded"
        })
        const ids = batches.flat().filter((e) => e.message.to === to).map((e) => e.id)
        assert.strictEqual(ids.length, 20)
        assert.strictEqual(new Set(ids).size, 20)
      }))

    it.effect("queues an order confirmation listing every ticket code with each sale", () =>
      Effect.gen(function*() {
        const event = yield* makeEvent((yield* makeUser()).id, { title: "Afrobeats Live", ticketTypes: [{ name: "VIP" }] })
        const [type] = event.ticketTypes
        if (type === undefined) return yield* Effect.die(new Error("fixture event without ticket type"))
        const buyer = uniqueEmail("buyer")
        const { receipt } = yield* (yield* TicketInventory).purchase(yield* purchaseCommand([line(type, 2, buyer)]))
        const [entry] = yield* claimFor(buyer)
        assert.strictEqual(entry?.message.kind, "order_confirmation")
        assert.strictEqual(entry?.message.subject, "Your tickets for Afrobeats Live")
        for (const ticket of receipt.tickets) assert.include(entry?.message.text ?? "", ticket.code)
      }))
  })
