import { SMTPServer } from "smtp-server"
import { Context, Effect, Layer } from "effect"

/** A message as the test SMTP server received it. */
export interface ReceivedMail {
  readonly from: string
  readonly to: ReadonlyArray<string>
  /** The raw RFC 5322 message: headers and (possibly encoded) bodies. */
  readonly raw: string
  /** Whether the connection was encrypted (STARTTLS or implicit TLS). */
  readonly secure: boolean
}

/** How the test server behaves. */
export interface SmtpTestServerOptions {
  /** Implicit TLS from the first byte (with the library's self-signed certificate). */
  readonly secure?: boolean
  /** Do not offer STARTTLS: plain SMTP only. */
  readonly plainOnly?: boolean
  /** Recipients refused with 550, as a mailbox that does not exist. */
  readonly refuse?: ReadonlyArray<string>
  /** Require this username and password. */
  readonly credentials?: { readonly username: string; readonly password: string }
  /** Listen on this port (default: a free one). */
  readonly port?: number
  /** Hold every message this long before accepting it, like a slow server. */
  readonly delayMillis?: number
}

/** A real SMTP server on a free loopback port, for tests of mail delivery. */
export class SmtpTestServer extends Context.Service<SmtpTestServer, {
  readonly port: number
  /** Messages accepted so far, oldest first. */
  readonly received: Effect.Effect<ReadonlyArray<ReceivedMail>>
}>()("@ticketmania/testing/SmtpTestServer") {
  /** Starts the server for the layer's lifetime. */
  static readonly layer = (options: SmtpTestServerOptions = {}) =>
    Layer.effect(
      SmtpTestServer,
      Effect.gen(function*() {
        const inbox: Array<ReceivedMail> = []
        const server = new SMTPServer({
          secure: options.secure ?? false,
          hideSTARTTLS: options.plainOnly ?? false,
          disabledCommands: options.credentials === undefined ? ["AUTH"] : [],
          allowInsecureAuth: true,
          logger: false,
          onAuth: (auth, _session, callback) => {
            const ok = auth.username === options.credentials?.username && auth.password === options.credentials?.password
            callback(ok ? null : new Error("invalid credentials"), ok ? { user: auth.username } : undefined)
          },
          onRcptTo: (address, _session, callback) => {
            const refused = options.refuse?.includes(address.address) ?? false
            callback(refused ? Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }) : undefined)
          },
          onData: (stream, session, callback) => {
            const chunks: Array<Buffer> = []
            stream.on("data", (chunk: Buffer) => chunks.push(chunk))
            stream.on("end", () => {
              const mail: ReceivedMail = {
                from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
                to: session.envelope.rcptTo.map((r) => r.address),
                raw: Buffer.concat(chunks).toString("utf8"),
                secure: session.secure
              }
              // A message counts as received when the server accepts it, after any delay.
              setTimeout(() => {
                inbox.push(mail)
                callback()
              }, options.delayMillis ?? 0)
            })
          }
        })
        const port = yield* Effect.acquireRelease(
          Effect.callback<number>((resume) => {
            server.listen(options.port ?? 0, "127.0.0.1", () => {
              const address = server.server.address()
              resume(
                typeof address === "object" && address !== null
                  ? Effect.succeed(address.port)
                  : Effect.die(new Error("SMTP test server has no TCP address"))
              )
            })
          }),
          () => Effect.callback<void>((resume) => server.close(() => resume(Effect.void)))
        )
        return SmtpTestServer.of({ port, received: Effect.sync(() => [...inbox]) })
      })
    )
}
