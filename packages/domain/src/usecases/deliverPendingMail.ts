import { DateTime, type Duration, Effect, Semaphore } from "effect"
import { maskEmail } from "../model/Email.ts"
import { makeGroupCommit } from "../mail/groupCommit.ts"
import { MailDeliveryFailed, Mailer } from "../ports/Mailer.ts"
import { MailOutbox, type OutboxEntry } from "../ports/MailOutbox.ts"
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

/** Messages being sent at once. */
const SEND_CONCURRENCY = 4

/** Sends one message whose sending place is taken (and gives it back once sent), then records the outcome. */
const deliverOne = Effect.fn("deliverOne")(function*(
  entry: OutboxEntry,
  sending: Semaphore.Semaphore,
  recordSent: (entry: OutboxEntry) => Effect.Effect<boolean>
) {
  const outbox = yield* MailOutbox
  // Only the send holds the place: waiting for the record does not keep the next message waiting,
  // so the records of the messages sent meanwhile gather into one statement.
  const result = yield* Effect.result(send(entry)).pipe(Effect.ensuring(Semaphore.release(sending, 1)))
  const now = yield* DateTime.now
  const to = maskEmail(entry.message.to)
  if (result._tag === "Success") {
    // Recorded right after the send (with whatever else was sent meanwhile), well within the lease.
    if (!(yield* recordSent(entry))) {
      yield* Effect.logWarning("mail sent after its claim lapsed").pipe(Effect.annotateLogs({ to }))
    }
    return "sent" as const
  }
  const delay = result.failure.permanent ? undefined : mailRetryDelay(entry.attempts + 1)
  const retryAt = delay === undefined ? null : DateTime.addDuration(now, delay)
  yield* outbox.markFailed(entry, result.failure.reason, retryAt)
  if (retryAt === null) {
    yield* Effect.logError("mail given up").pipe(
      Effect.annotateLogs({ kind: entry.message.kind, to, reason: result.failure.reason })
    )
    return "failed" as const
  }
  yield* Effect.logWarning("mail delivery failed, will retry").pipe(
    Effect.annotateLogs({ kind: entry.message.kind, to, reason: result.failure.reason, retry_at: DateTime.formatIso(retryAt) })
  )
  return "retrying" as const
})

/**
 * Delivers the mail that is due: claims up to `batch` messages, sends each, and records the
 * outcome — sent, retried later with backoff, or given up after the last attempt. A message being
 * sent is finished even if the worker is interrupted, so shutdown never leaves it half-done.
 */
export const deliverPendingMail = Effect.fn("deliverPendingMail")(function*(batch = 20) {
  const outbox = yield* MailOutbox
  const due = yield* outbox.claimDue(batch, yield* DateTime.now, LEASE_MILLIS)
  const recordSent = sentRecorder(outbox)
  const sending = yield* Semaphore.make(SEND_CONCURRENCY)
  // Waiting for a place can be interrupted (shutdown); once a send starts, its record follows.
  const outcomes = yield* Effect.forEach(
    due,
    (entry) => Effect.andThen(Semaphore.take(sending, 1), Effect.uninterruptible(deliverOne(entry, sending, recordSent))),
    { concurrency: "unbounded" }
  )
  const pass: DeliveryPass = {
    sent: outcomes.filter((o) => o === "sent").length,
    retrying: outcomes.filter((o) => o === "retrying").length,
    failed: outcomes.filter((o) => o === "failed").length
  }
  return pass
})

/**
 * Runs delivery passes for ever: immediately (mail left from before a restart goes first), then
 * again at once while passes find work, else every `pollInterval`. Interrupt it to stop; a
 * message in flight is finished first.
 */
export const runMailWorker = (pollInterval: Duration.Input = "1 second") =>
  Effect.gen(function*() {
    for (;;) {
      const pass = yield* deliverPendingMail().pipe(
        Effect.catchCause((cause) => Effect.as(Effect.logError("mail delivery pass failed", cause), undefined))
      )
      if (pass === undefined || pass.sent + pass.retrying + pass.failed === 0) yield* Effect.sleep(pollInterval)
    }
  })
