import { Cause, Layer, Logger, References } from "effect"
import { HttpConfig } from "../config/HttpConfig.ts"
import { redactText, redactValue } from "./redact.ts"

// One JSON object per line, as the original service logged:
// {"level":"INFO","time":"2026-02-07T06:52:13Z","message":"...","properties":{...},"trace":"..."}
// `properties` are the log annotations (request_id, route, ...) and any extra log arguments;
// `trace` is the failure with its stack, only for logs that carry one.

/** The JSON line logger, writing each line with `write`. */
export const makeJsonLogger = (write: (line: string) => void) =>
  Logger.make<unknown, void>(({ cause, date, fiber, logLevel, message }) => {
    const properties: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(fiber.getRef(References.CurrentLogAnnotations))) {
      properties[key] = redactValue(key, value)
    }
    const parts = Array.isArray(message) ? message : [message]
    const texts: Array<string> = []
    parts.forEach((part, i) => {
      if (typeof part === "string") texts.push(part)
      else properties[`detail${i === 0 ? "" : i}`] = redactValue("detail", part)
    })
    const line: Record<string, unknown> = {
      level: logLevel.toUpperCase(),
      time: date.toISOString().replace(/\.\d{3}Z$/, "Z"),
      message: redactText(texts.join(" ")),
      properties
    }
    if (cause.reasons.length > 0) line.trace = redactText(Cause.pretty(cause))
    write(JSON.stringify(line))
  })

/** JSON lines on stdout. */
export const jsonLogger = makeJsonLogger((line) => {
  process.stdout.write(`${line}\n`)
})

/** Replaces the default loggers with `jsonLogger`, at the minimum level `LOG_LEVEL` sets. */
export const LoggerLive: Layer.Layer<never, never, HttpConfig> = Layer.unwrap(
  HttpConfig.useSync(({ logLevel }) =>
    Layer.mergeAll(Logger.layer([jsonLogger]), Layer.succeed(References.MinimumLogLevel, logLevel))
  )
)
