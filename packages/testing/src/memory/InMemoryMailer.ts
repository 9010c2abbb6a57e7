import { Context, Effect, Layer, Ref } from "effect"
import { MailDeliveryFailed, Mailer, type MailMessage } from "@ticketmania/domain"

/** The messages an in-memory mailer delivered, and a switch to make it fail like a down server. */
export class InMemoryInbox extends Context.Service<InMemoryInbox, {
  readonly delivered: Ref.Ref<ReadonlyArray<MailMessage>>
  readonly down: Ref.Ref<boolean>
}>()("@ticketmania/testing/InMemoryInbox") {
  static readonly layer = Layer.effect(
    InMemoryInbox,
    Effect.gen(function*() {
      return InMemoryInbox.of({ delivered: yield* Ref.make<ReadonlyArray<MailMessage>>([]), down: yield* Ref.make(false) })
    })
  )
}

/** `Mailer` that delivers into `InMemoryInbox`. */
export const InMemoryMailer = Layer.effect(
  Mailer,
  Effect.gen(function*() {
    const inbox = yield* InMemoryInbox
    return Mailer.of({
      send: Effect.fn("InMemoryMailer.send")(function*(message: MailMessage) {
        if (yield* Ref.get(inbox.down)) {
          return yield* new MailDeliveryFailed({ reason: "mail server unavailable", permanent: false })
        }
        yield* Ref.update(inbox.delivered, (all) => [...all, message])
      })
    })
  })
).pipe(Layer.provideMerge(InMemoryInbox.layer))
