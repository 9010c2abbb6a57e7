import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Ref } from "effect"
import { TestClock } from "effect/testing"
import {
  deliverPendingMail,
  Mailer,
  MailOutbox,
  MAX_MAIL_ATTEMPTS,
  mailRestWhileSelling,
  mailRetryDelay,
  registerUser,
  runMailWorker,
  SalesActivity
} from "@ticketmania/domain"
import type { OutboxEntry } from "@ticketmania/domain"
import { InMemoryCore, InMemoryInbox, InMemoryStore } from "@ticketmania/testing"

const register = (email: string) => registerUser({ name: "Ann", email, password: "securepassword123" })

describe("mail retry schedule", () => {
  it("retries first within 5 s, doubles, caps at 60 s, and gives up after the last attempt", () => {
    const delays = Array.from({ length: MAX_MAIL_ATTEMPTS }, (_, i) => mailRetryDelay(i + 1))
    assert.deepStrictEqual(delays.map((d) => (d === undefined ? undefined : Duration.toMillis(d))), [
      2500, 5000, 10000, 20000, 40000, 60000, 60000, undefined
    ])
  })
})

describe("deliverPendingMail", () => {
  it.effect("delivers the welcome mail queued by registration, once", () =>
    Effect.gen(function*() {
      yield* register("ann@example.com")
      const pass = yield* deliverPendingMail()
      assert.deepStrictEqual(pass, { sent: 1, retrying: 0, failed: 0 })
      const inbox = yield* InMemoryInbox
      assert.deepStrictEqual((yield* Ref.get(inbox.delivered)).map((m) => [m.to, m.subject]), [
        ["ann@example.com", "Welcome to TicketMania!"]
      ])
      assert.deepStrictEqual(yield* deliverPendingMail(), { sent: 0, retrying: 0, failed: 0 })
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("keeps mail while the server is down and delivers it once it is back", () =>
    Effect.gen(function*() {
      const inbox = yield* InMemoryInbox
      yield* Ref.set(inbox.down, true)
      yield* register("bob@example.com")
      assert.deepStrictEqual(yield* deliverPendingMail(), { sent: 0, retrying: 1, failed: 0 })
      assert.deepStrictEqual(yield* deliverPendingMail(), { sent: 0, retrying: 0, failed: 0 })
      yield* Ref.set(inbox.down, false)
      yield* TestClock.adjust("3 seconds")
      assert.deepStrictEqual(yield* deliverPendingMail(), { sent: 1, retrying: 0, failed: 0 })
      assert.strictEqual((yield* Ref.get(inbox.delivered)).length, 1)
    }).pipe(Effect.provide(InMemoryCore)))

  it.effect("gives a message up after the last attempt", () =>
    Effect.gen(function*() {
      const inbox = yield* InMemoryInbox
      yield* Ref.set(inbox.down, true)
      yield* register("cy@example.com")
      const outcomes = []
      for (let i = 0; i < MAX_MAIL_ATTEMPTS; i++) {
        outcomes.push(yield* deliverPendingMail())
        yield* TestClock.adjust("61 seconds")
      }
      assert.deepStrictEqual(outcomes.at(-1), { sent: 0, retrying: 0, failed: 1 })
      yield* Ref.set(inbox.down, false)
      assert.deepStrictEqual(yield* deliverPendingMail(), { sent: 0, retrying: 0, failed: 0 })
    }).pipe(Effect.provide(InMemoryCore)))
})

/** The in-memory outbox, whose markSent takes a millisecond (as a statement does) and is counted. */
const slowRecords = (groups: Array<number>) =>
  Layer.effect(
    MailOutbox,
    Effect.map(Effect.service(MailOutbox), (outbox) =>
      MailOutbox.of({
        ...outbox,
        markSent: (entries: ReadonlyArray<OutboxEntry>, at) =>
          Effect.andThen(Effect.sleep("1 millis"), Effect.suspend(() => {
            groups.push(entries.length)
            return outbox.markSent(entries, at)
          }))
      }))
  ).pipe(Layer.provideMerge(InMemoryCore))

describe("deliverPendingMail records sent mail in groups", () => {
  it.effect("a pass's messages sent while the first record is written are recorded together", () => {
    const groups: Array<number> = []
    return Effect.gen(function*() {
      for (let i = 0; i < 12; i++) yield* register(`buyer${i}@example.com`)
      const pass = yield* Effect.forkChild(deliverPendingMail())
      yield* TestClock.adjust("10 millis")
      assert.deepStrictEqual(yield* Fiber.join(pass), { sent: 12, retrying: 0, failed: 0 })
      // The first message is recorded alone (nobody else had finished); the other eleven were sent
      // while it was written, and are recorded with one statement, not one per place that frees.
      assert.deepStrictEqual(groups, [1, 11])
      assert.deepStrictEqual(yield* deliverPendingMail(), { sent: 0, retrying: 0, failed: 0 })
    }).pipe(Effect.provide(slowRecords(groups)))
  })
})

/** The in-memory mailer, each send taking 100 ms. */
const slowSends = Layer.effect(
  Mailer,
  Effect.map(Effect.service(Mailer), (mailer) => Mailer.of({ send: (message) => Effect.andThen(Effect.sleep("100 millis"), mailer.send(message)) }))
).pipe(Layer.provideMerge(InMemoryCore))

describe("deliverPendingMail interrupted (shutdown)", () => {
  it.effect("finishes and records the sends under way, and starts no other", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 10; i++) yield* register(`late${i}@example.com`)
      const pass = yield* Effect.forkChild(deliverPendingMail())
      yield* TestClock.adjust("50 millis")
      // Four sends are under way; the interruption waits for them (and their records).
      const stopping = yield* Effect.forkChild(Fiber.interrupt(pass))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(stopping)
      const inbox = yield* InMemoryInbox
      assert.strictEqual((yield* Ref.get(inbox.delivered)).length, 4)
      const { outbox } = (yield* InMemoryStore).tables
      assert.deepStrictEqual([...outbox.values()].map((row) => row.status).sort(), [...Array(6).fill("pending"), ...Array(4).fill("sent")])
    }).pipe(Effect.provide(slowSends)))
})

describe("runMailWorker", () => {
  it.effect("delivers pending mail right after it starts, then keeps polling", () =>
    Effect.gen(function*() {
      yield* register("dee@example.com")
      const worker = yield* Effect.forkChild(runMailWorker("1 second"))
      yield* TestClock.adjust("10 millis")
      const inbox = yield* InMemoryInbox
      assert.strictEqual((yield* Ref.get(inbox.delivered)).length, 1)
      yield* register("eve@example.com")
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual((yield* Ref.get(inbox.delivered)).map((m) => m.to), ["dee@example.com", "eve@example.com"])
      yield* Fiber.interrupt(worker)
    }).pipe(Effect.provide(InMemoryCore)))

  // 25 messages are two passes (20, then 5). A pass takes no time on the test clock, so the rest
  // while selling is the shortest one, 5 ms.
  const twoPasses = (selling: boolean, queuedAgo: Duration.Input = 0) =>
    Effect.gen(function*() {
      for (let i = 0; i < 25; i++) yield* register(`fan${i}@example.com`)
      yield* TestClock.adjust(queuedAgo)
      const inbox = yield* InMemoryInbox
      const delivered = Effect.map(Ref.get(inbox.delivered), (mails) => mails.length)
      const worker = yield* Effect.forkChild(runMailWorker("1 second"))
      const seen: Array<number> = []
      for (const step of ["1 millis", "3 millis", "1 millis"] as const) {
        yield* TestClock.adjust(step)
        seen.push(yield* delivered)
      }
      yield* Fiber.interrupt(worker)
      return seen
    }).pipe(Effect.provideService(SalesActivity, { selling: () => selling }), Effect.provide(InMemoryCore))

  it.effect("goes again at once while passes find work and nothing is being sold", () =>
    Effect.map(twoPasses(false), (seen) => assert.deepStrictEqual(seen, [25, 25, 25])))

  it.effect("rests between passes while purchases are being sold, then goes on", () =>
    Effect.map(twoPasses(true), (seen) => assert.deepStrictEqual(seen, [20, 20, 25])))

  it.effect("does not rest while selling once the mail it finds has waited more than a minute", () =>
    Effect.map(twoPasses(true, "61 seconds"), (seen) => assert.deepStrictEqual(seen, [25, 25, 25])))

  it.effect("still rests while selling for mail that has waited less than a minute", () =>
    Effect.map(twoPasses(true, "59 seconds"), (seen) => assert.deepStrictEqual(seen, [20, 20, 25])))
})

describe("mailRestWhileSelling", () => {
  it("rests ten times as long as the pass took, at least 5 ms and at most a second", () => {
    assert.deepStrictEqual([0, 0.2, 1, 4, 50, 100, 5_000].map((pass) => mailRestWhileSelling(pass, 0)), [5, 5, 10, 40, 500, 1_000, 1_000])
  })

  it("does not rest once mail has waited more than a minute", () => {
    assert.deepStrictEqual([0, 59_999, 60_000, 60_001, 3_600_000].map((waited) => mailRestWhileSelling(4, waited)), [40, 40, 40, 0, 0])
  })
})
