import { Duration, Effect, Metric } from "effect"
import { ordersCompleted, soldOutRejections, ticketsSold } from "@ticketmania/domain"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../api/Api.ts"
import { Unavailable } from "../api/errors.ts"
import { HttpConfig } from "../config/HttpConfig.ts"
import { scrape } from "../observability/metrics.ts"
import { Lifecycle } from "../server/Lifecycle.ts"
import { ReadinessCheck } from "../server/ReadinessCheck.ts"

const READINESS_TIMEOUT = Duration.seconds(2)

/** Health, liveness, readiness and metrics. */
export const SystemHandlers = HttpApiBuilder.group(Api, "system", Effect.fn(function*(handlers) {
  const config = yield* HttpConfig
  const lifecycle = yield* Lifecycle
  // Registered at zero from the start, so a scrape shows them before the first sale.
  yield* Effect.forEach([ticketsSold, soldOutRejections, ordersCompleted], (counter) => Metric.update(counter, 0), { discard: true })
  const health = { status: "available" as const, system_info: { environment: config.environment, version: config.version } }
  return handlers
    .handle("healthcheck", () => Effect.succeed(health))
    .handle("livez", () => Effect.succeed({ status: "alive" as const }))
    .handle("readyz", () =>
      Effect.gen(function*() {
        if (lifecycle.isDraining()) {
          return yield* new Unavailable({ error: "the server is shutting down", code: "unavailable" })
        }
        const { check } = yield* ReadinessCheck
        const ready = yield* check.pipe(
          Effect.timeoutOrElse({ duration: READINESS_TIMEOUT, orElse: () => Effect.succeed(false) }),
          Effect.catchCause(() => Effect.succeed(false))
        )
        if (!ready) return yield* new Unavailable({ error: "the database does not answer", code: "unavailable" })
        return { status: "ready" as const }
      }))
    .handle("metrics", () => scrape)
}))
