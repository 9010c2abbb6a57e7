import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { Email, Mailer, MailMessage } from "@ticketmania/domain"
import { SmtpTestServer, type SmtpTestServerOptions } from "@ticketmania/testing/smtp"
import { makeSmtpMailer, type SmtpSettings, type SmtpTls } from "@ticketmania/adapters-node"

const message = (to = "fan@example.com") =>
  new MailMessage({
    kind: "order_confirmation",
    to: Email.make(to),
    subject: "Your tickets for Rooftop Jazz",
    text: "code ABCDEF",
    html: "<p>code <code>ABCDEF</code></p>"
  })

const settings = (port: number, tls: SmtpTls, credentials?: { username: string; password: string }): SmtpSettings => ({
  host: "127.0.0.1",
  port,
  username: Option.fromNullishOr(credentials?.username),
  password: Option.map(Option.fromNullishOr(credentials?.password), (p) => Redacted.make(p)),
  sender: "TicketMania <tickets@example.com>",
  tls
})

/** Runs `test` with a mailer talking to a fresh test server. */
const withServer = <A, E>(
  server: SmtpTestServerOptions,
  tls: SmtpTls,
  test: (smtp: SmtpTestServer["Service"]) => Effect.Effect<A, E, Mailer>,
  clientCredentials = server.credentials
) =>
  Effect.gen(function*() {
    const smtp = yield* SmtpTestServer
    const mailer = makeSmtpMailer(settings(smtp.port, tls, clientCredentials), { rejectUnauthorized: false })
    return yield* test(smtp).pipe(Effect.provide(mailer))
  }).pipe(Effect.provide(SmtpTestServer.layer(server)))


describe("SMTP mailer", () => {
  it.live("delivers over plain SMTP with sender, recipient, subject and both bodies", () =>
    withServer({ plainOnly: true }, "none", (smtp) =>
      Effect.gen(function*() {
        yield* (yield* Mailer).send(message())
        const [mail] = yield* smtp.received
        assert.strictEqual(mail?.from, "tickets@example.com")
        assert.deepStrictEqual(mail?.to, ["fan@example.com"])
        assert.include(mail?.raw ?? "", "Subject: Your tickets for Rooftop Jazz")
        assert.include(mail?.raw ?? "", "text/plain")
        assert.include(mail?.raw ?? "", "text/html")
        assert.isFalse(mail?.secure)
      })))

  it.live("upgrades with STARTTLS and authenticates", () =>
    withServer({ credentials: { username: "api", password: "s3cret" } }, "starttls", (smtp) =>
      Effect.gen(function*() {
        yield* (yield* Mailer).send(message())
        assert.isTrue((yield* smtp.received)[0]?.secure)
      })))

  it.live("speaks implicit TLS", () =>
    withServer({ secure: true }, "implicit", (smtp) =>
      Effect.gen(function*() {
        yield* (yield* Mailer).send(message())
        assert.isTrue((yield* smtp.received)[0]?.secure)
      })))

  it.live("reports a refused mailbox as a permanent failure", () =>
    withServer({ plainOnly: true, refuse: ["ghost@example.com"] }, "none", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip((yield* Mailer).send(message("ghost@example.com")))
        assert.isTrue(error.permanent)
      })))

  it.live("reports wrong credentials and an unreachable server as failures worth retrying", () =>
    Effect.gen(function*() {
      const wrong = yield* withServer(
        { credentials: { username: "api", password: "s3cret" } },
        "starttls",
        () => Effect.flip(Mailer.use((m) => m.send(message()))),
        { username: "api", password: "guessed" }
      )
      assert.isFalse(wrong.permanent)
      // A port that was just closed: nothing listens there.
      const closedPort = yield* SmtpTestServer.useSync((s) => s.port).pipe(Effect.provide(SmtpTestServer.layer()))
      const down = yield* Effect.flip(Mailer.use((m) => m.send(message()))).pipe(
        Effect.provide(makeSmtpMailer(settings(closedPort, "none")))
      )
      assert.isFalse(down.permanent)
    }))
})
