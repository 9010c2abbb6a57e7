import { Clock, DateTime, type Duration, Effect } from "effect"
import { maskEmail } from "../model/Email.ts"
import { makeGroupCommit } from "../mail/groupCommit.ts"
import { MailDeliveryFailed, Mailer } from "../ports/Mailer.ts"
import { MailOutbox, type OutboxEntry } from "../ports/MailOutbox.ts"
import { SalesActivity } from "../ports/SalesActivity.ts"
import { mailRestWhileSelling } from "../rules/mailPace.ts"
import { mailRetryDelay } from "../rules/mailRetry.ts"

/** How long a claim protects a message from other workers while it is being sent. */
const LEASE_MILLIS = 60_000

/** A send that takes longer counts as failed — well before the lease lapses, so the message is
 * not claimed again by another worker while this one may still be sending it. */
const SEND_TIMEOUT = "45 seconds"

/** What one delivery pass did. */
export interface DeliveryPass {
  readonly sent: number
  readonly retrying: number
  readonly failed: number
}

const send = (entry: OutboxEntry) =>
  Mailer.use((mailer) => mailer.send(entry.message)).pipe(
    // Runs inside an uninterruptible delivery: let the timeout stop waiting for it.
    Effect.interruptible,
    Effect.timeoutOrElse({
      duration: SEND_TIMEOUT,
      orElse: () => Effect.fail(new MailDeliveryFailed({ reason: "timed out sending", permanent: false }))
    })
  )

/** Records deliveries in groups: one statement for the messages sent while the last was written. */
const sentRecorder = (outbox: MailOutbox["Service"]) =>
  makeGroupCommit((entries: ReadonlyArray<OutboxEntry>) =>
    Effect.flatMap(DateTime.now, (now) =>
      Effect.map(outbox.markSent(entries, now), (recorded) => (entry: OutboxEntry) => recorded.has(entry.id))))

/** Messages claimed by one delivery pass. */
const PASS_SIZE = 20

/** Messages being sent at once. */
const SEND_CONCURRENCY = 4

type Outcome = "sent" | "retrying" | "failed"

/**
 * Sends one message and sees to its outcome: a failure is recorded here (retry later, or give
 * up); a success is handed to the group commit, and what is returned waits for its record. So
 * the sender goes on to the next message while the records of everything sent meanwhile gather
 * into one statement. Untraced: it runs once per message, thousands a second after a flash sale,
 * and the pass around it has its span.
 */
const deliverOne = Effect.fnUntraced(function*(
  entry: OutboxEntry,
  recordSent: (entry: OutboxEntry) => Effect.Effect<Effect.Effect<boolean>>
) {
  const outbox = yield* MailOutbox
  const result = yield* Effect.result(send(entry))
  const to = maskEmail(entry.message.to)
  if (result._tag === "Success") {
    // Recorded right after the send (with whatever else was sent meanwhile), well within the lease.
    const recorded = yield* recordSent(entry)
    return Effect.flatMap(recorded, (ok): Effect.Effect<Outcome> =>
      ok ? Effect.succeed("sent") : Effect.as(Effect.logWarning("mail sent after its claim lapsed").pipe(Effect.annotateLogs({ to })), "sent"))
  }
  const now = yield* DateTime.now
  const delay = result.failure.permanent ? undefined : mailRetryDelay(entry.attempts + 1)
  const retryAt = delay === undefined ? null : DateTime.addDuration(now, delay)
  yield* outbox.markFailed(entry, result.failure.reason, retryAt)
  if (retryAt === null) {
    yield* Effect.logError("mail given up").pipe(
      Effect.annotateLogs({ kind: entry.message.kind, to, reason: result.failure.reason })
    )
    return Effect.succeed<Outcome>("failed")
  }
  yield* Effect.logWarning("mail delivery failed, will retry").pipe(
    Effect.annotateLogs({ kind: entry.message.kind, to, reason: result.failure.reason, retry_at: DateTime.formatIso(retryAt) })
  )
  return Effect.succeed<Outcome>("retrying")
})

/**
 * Delivers the mail that is due: claims up to `batch` messages, sends each, and records the
 * outcome — sent, retried later with backoff, or given up after the last attempt. A message being
 * sent is finished even if the worker is interrupted, so shutdown never leaves it half-done.
 *
 * `SEND_CONCURRENCY` senders take the claimed messages one after another: a few fibers for the
 * whole pass rather than a fiber, a place in a semaphore and a wait in the group commit per
 * message, which were most of what a message cost the service while a flash sale's confirmations
 * went out.
 */
export const deliverPendingMail = Effect.fn("deliverPendingMail")((batch: number = PASS_SIZE) =>
  Effect.map(deliveryPass(batch), ({ pass }) => pass)
)

/** A delivery pass, and how long the message it found due longest had waited when claimed, in ms. */
const deliveryPass = Effect.fnUntraced(function*(batch: number) {
  const outbox = yield* MailOutbox
  const now = yield* DateTime.now
  const due = yield* outbox.claimDue(batch, now, LEASE_MILLIS)
  const nowMillis = DateTime.toEpochMillis(now)
  const waitedMillis = due.reduce((most, entry) => Math.max(most, nowMillis - DateTime.toEpochMillis(entry.dueAt)), 0)
  const recordSent = sentRecorder(outbox).submit
  const outcomes: Array<Effect.Effect<Outcome>> = []
  let next = 0
  // Waiting between messages can be interrupted (shutdown); once a send starts, its outcome follows.
  const sender = Effect.whileLoop({
    while: () => next < due.length,
    body: () =>
      Effect.uninterruptible(Effect.suspend(() => {
        const entry = due[next++]
        return entry === undefined ? Effect.void : Effect.map(deliverOne(entry, recordSent), (outcome) => void outcomes.push(outcome))
      })),
    step: () => undefined
  })
  const senders = Array.from({ length: Math.min(SEND_CONCURRENCY, due.length) }, () => sender)
  // The records of the messages sent are waited for however the sending ends, interrupted too.
  yield* Effect.onInterrupt(
    Effect.all(senders, { concurrency: "unbounded", discard: true }),
    () => Effect.all(outcomes, { discard: true })
  )
  const settled = yield* Effect.uninterruptible(Effect.all(outcomes))
  const pass: DeliveryPass = {
    sent: settled.filter((o) => o === "sent").length,
    retrying: settled.filter((o) => o === "retrying").length,
    failed: settled.filter((o) => o === "failed").length
  }
  return { pass, waitedMillis }
})

/**
 * Runs delivery passes for ever: immediately (mail left from before a restart goes first), then
 * again at once while passes find work, else every `pollInterval`. While purchases are being sold
 * (`SalesActivity`), it gives way to them: after a pass that found work it rests ten times as
 * long as the pass took (`mailRestWhileSelling`), so that a flash sale's confirmations go out at
 * a slow, steady pace during the sale and at full speed once it calms down, instead of taking a
 * fifth of what the sale could sell — until mail has waited a minute (`MAIL_HOLD_BACK_MILLIS`):
 * from then on it goes at full speed until it has caught up, so that no sale, however long,
 * delays confirmations more. Interrupt it to stop; a message in flight is finished first.
 */
export const runMailWorker = (pollInterval: Duration.Input = "1 second") =>
  Effect.gen(function*() {
    const activity = yield* SalesActivity
    for (;;) {
      const started = yield* Clock.currentTimeMillis
      const delivered = yield* deliveryPass(PASS_SIZE).pipe(
        Effect.withSpan("deliverPendingMail"),
        Effect.catchCause((cause) => Effect.as(Effect.logError("mail delivery pass failed", cause), undefined))
      )
      if (delivered === undefined || delivered.pass.sent + delivered.pass.retrying + delivered.pass.failed === 0) {
        yield* Effect.sleep(pollInterval)
      } else if (activity.selling()) {
        const rest = mailRestWhileSelling((yield* Clock.currentTimeMillis) - started, delivered.waitedMillis)
        if (rest > 0) yield* Effect.sleep(rest)
      }
    }
  })
