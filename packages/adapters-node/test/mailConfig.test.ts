import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import { SmtpConfig } from "@ticketmania/adapters-node"

const read = (env: Record<string, string>) => SmtpConfig.parse(ConfigProvider.fromEnvRecord(env)).pipe(Effect.result)

describe("SMTP configuration", () => {
  it.effect("is absent without a host, so mail is logged instead", () =>
    Effect.gen(function*() {
      const result = yield* read({})
      assert.isTrue(result._tag === "Success" && Option.isNone(result.success))
    }))

  it.effect("reads SMTP_* with port 587 and automatic TLS by default", () =>
    Effect.gen(function*() {
      const result = yield* read({ SMTP_HOST: "smtp.example.com", SMTP_SENDER: "t@example.com", SMTP_PASSWORD: "pw" })
      const settings = result._tag === "Success" ? Option.getOrUndefined(result.success) : undefined
      assert.strictEqual(settings?.host, "smtp.example.com")
      assert.strictEqual(settings?.port, 587)
      assert.strictEqual(settings?.tls, "auto")
      assert.deepStrictEqual(Option.map(settings?.password ?? Option.none(), Redacted.value), Option.some("pw"))
    }))

  it.effect("accepts the original MAILTRAP_* names as aliases", () =>
    Effect.gen(function*() {
      const result = yield* read({
        MAILTRAP_HOST: "live.smtp.mailtrap.io",
        MAILTRAP_PORT: "2525",
        MAILTRAP_USERNAME: "api",
        MAILTRAP_SENDER: "t@example.com"
      })
      const settings = result._tag === "Success" ? Option.getOrUndefined(result.success) : undefined
      assert.deepStrictEqual([settings?.host, settings?.port, Option.getOrUndefined(settings?.username ?? Option.none())], [
        "live.smtp.mailtrap.io",
        2525,
        "api"
      ])
    }))

  it.effect("refuses a host without a sender, a bad port and an unknown TLS mode", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* read({ SMTP_HOST: "h" }))._tag, "Failure")
      assert.strictEqual((yield* read({ SMTP_HOST: "h", SMTP_SENDER: "s@x.io", SMTP_PORT: "99999" }))._tag, "Failure")
      assert.strictEqual((yield* read({ SMTP_HOST: "h", SMTP_SENDER: "s@x.io", SMTP_TLS: "maybe" }))._tag, "Failure")
    }))
})
