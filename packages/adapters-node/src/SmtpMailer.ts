import nodemailer from "nodemailer"
import { Effect, Layer, Option, Redacted } from "effect"
import { MailDeliveryFailed, Mailer, type MailMessage, maskEmail } from "@ticketmania/domain"
import { SmtpConfig, type SmtpSettings } from "./mailConfig.ts"

/** Extra TLS options, for tests against servers with self-signed certificates. */
export interface SmtpTlsOptions {
  readonly rejectUnauthorized?: boolean
}

const transportOptions = (settings: SmtpSettings, tls: SmtpTlsOptions) => {
  const user = Option.getOrUndefined(settings.username)
  const pass = Option.map(settings.password, Redacted.value).pipe(Option.getOrUndefined)
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.tls === "implicit" || (settings.tls === "auto" && settings.port === 465),
    requireTLS: settings.tls === "starttls",
    ignoreTLS: settings.tls === "none",
    ...(user === undefined ? {} : { auth: { user, pass: pass ?? "" } }),
    tls: { rejectUnauthorized: tls.rejectUnauthorized ?? true },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000
  }
}

// A 5xx reply to the message itself (unknown mailbox, refused content) will not change on retry;
// connection, authentication and 4xx failures may.
const isPermanent = (error: unknown): boolean => {
  const code = typeof error === "object" && error !== null && "responseCode" in error ? error.responseCode : undefined
  const command = typeof error === "object" && error !== null && "command" in error ? error.command : undefined
  return typeof code === "number" && code >= 500 && (command === "RCPT TO" || command === "DATA")
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** `Mailer` over SMTP with nodemailer: plain, STARTTLS or implicit TLS, pooled connections. */
export const makeSmtpMailer = (settings: SmtpSettings, tls: SmtpTlsOptions = {}) =>
  Layer.effect(
    Mailer,
    Effect.gen(function*() {
      const transport = yield* Effect.acquireRelease(
        Effect.sync(() => nodemailer.createTransport({ ...transportOptions(settings, tls), pool: true, maxConnections: 2 })),
        (t) => Effect.sync(() => t.close())
      )
      return Mailer.of({
        send: (message: MailMessage) =>
          Effect.tryPromise({
            try: () =>
              transport.sendMail({
                from: settings.sender,
                to: message.to,
                subject: message.subject,
                text: message.text,
                html: message.html
              }),
            catch: (error) => new MailDeliveryFailed({ reason: describe(error), permanent: isPermanent(error) })
          }).pipe(Effect.asVoid, Effect.withSpan("SmtpMailer.send"))
      })
    })
  )

/** `Mailer` that only logs (kind, subject, masked recipient): the default with no SMTP host. */
export const LogMailer = Layer.succeed(
  Mailer,
  Mailer.of({
    send: (message) =>
      Effect.logInfo("mail not sent: no SMTP host configured").pipe(
        Effect.annotateLogs({ kind: message.kind, subject: message.subject, to: maskEmail(message.to) })
      )
  })
)

/** SMTP when `SMTP_HOST` (or `MAILTRAP_HOST`) is set, else the logging mailer. */
export const MailerLive = Layer.unwrap(
  Effect.map(SmtpConfig, (settings) => Option.match(settings, { onNone: () => LogMailer, onSome: (s) => makeSmtpMailer(s) }))
)
