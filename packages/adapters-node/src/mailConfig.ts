import { Config, ConfigProvider, Effect, Option, type Redacted } from "effect"

/** How the SMTP connection is secured. */
export type SmtpTls = "auto" | "none" | "starttls" | "implicit"

/** Everything needed to reach an SMTP server. */
export interface SmtpSettings {
  readonly host: string
  readonly port: number
  readonly username: Option.Option<string>
  readonly password: Option.Option<Redacted.Redacted<string>>
  readonly sender: string
  /**
   * `auto`: implicit TLS on port 465, else STARTTLS when the server offers it; `none`: plain SMTP;
   * `starttls`: STARTTLS required; `implicit`: TLS from the first byte.
   */
  readonly tls: SmtpTls
}

// The original service's MAILTRAP_* names keep working as aliases of SMTP_*. An invalid value
// under either name is an error, not a reason to fall back.
const either = <A>(make: (name: string) => Config.Config<A>, name: string): Config.Config<Option.Option<A>> =>
  Config.all([Config.option(make(`SMTP_${name}`)), Config.option(make(`MAILTRAP_${name}`))]).pipe(
    Config.map(([primary, alias]) => Option.orElse(primary, () => alias))
  )

/**
 * SMTP settings from the environment, or `None` when no SMTP host is set (mail is then logged
 * instead of sent). A host without a sender is a configuration error.
 */
export const SmtpConfig: Config.Config<Option.Option<SmtpSettings>> = Config.all({
  host: either(Config.NonEmptyString, "HOST"),
  port: either(Config.Port, "PORT").pipe(Config.map(Option.getOrElse(() => 587))),
  username: either(Config.NonEmptyString, "USERNAME"),
  password: either(Config.Redacted, "PASSWORD"),
  sender: either(Config.NonEmptyString, "SENDER"),
  tls: Config.Literals(["auto", "none", "starttls", "implicit"], "SMTP_TLS").pipe(Config.withDefault("auto" as const))
}).pipe(
  Config.mapEffect((c) => {
    if (Option.isNone(c.host)) return Effect.succeed(Option.none<SmtpSettings>())
    if (Option.isNone(c.sender)) {
      return Effect.fail(
        new Config.ConfigError(new ConfigProvider.SourceError({ message: "SMTP_SENDER is required when SMTP_HOST is set" }))
      )
    }
    return Effect.succeed(Option.some<SmtpSettings>({ ...c, host: c.host.value, sender: c.sender.value }))
  })
)
