import { Effect, Layer, Logger, References } from "effect"
import { EventRepository, type PasswordHasher } from "@ticketmania/domain"
import { InMemoryMailer, InMemoryPasswordHasher, InMemoryStorage, InMemoryTicketCodes } from "@ticketmania/testing"
import { HttpConfig, type HttpConfigShape, makeJsonLogger, RateLimiterLive, ReadinessCheck } from "../../src/index.ts"
import { Lifecycle } from "../../src/server/Lifecycle.ts"
import { shiftedClock } from "./clock.ts"

/** How a test wants the server's world. */
export interface TestOptions {
  readonly config?: Partial<HttpConfigShape>
  /** Replaces the fast in-memory hasher (e.g. with an artificially slow one). */
  readonly hasher?: Layer.Layer<PasswordHasher>
  /** Pretend the clock reads this instant (it keeps ticking). */
  readonly now?: string
  /** Collects the JSON log lines. */
  readonly logs?: Array<string>
  readonly ready?: Effect.Effect<boolean>
  /** Replaces the in-memory ports entirely. */
  readonly ports?: Layer.Layer<InMemoryPorts>
  /** Replaces the server's lifecycle (to drive draining from a test). */
  readonly lifecycle?: Layer.Layer<Lifecycle>
  /** Anything else to provide (e.g. `DbPoolStats`). */
  readonly extra?: Layer.Layer<never>
}

type InMemoryPorts = Layer.Success<ReturnType<typeof inMemoryPorts>>

/** The in-memory ports of the core: a fresh, empty world per build. */
export const inMemoryPorts = (hasher: Layer.Layer<PasswordHasher> = InMemoryPasswordHasher) =>
  Layer.mergeAll(InMemoryStorage, hasher, InMemoryTicketCodes, InMemoryMailer)

/** The in-memory ports, except that listing events with `q=explode` dies like a broken database. */
export const explodingPorts = () =>
  Layer.effect(
    EventRepository,
    EventRepository.useSync((real) =>
      EventRepository.of({
        ...real,
        listPublished: (query) =>
          query.q === "explode"
            ? Effect.die(new Error("connection lost during SELECT * FROM events WHERE password_hash = 'x'"))
            : real.listPublished(query)
      }))
  ).pipe(Layer.provideMerge(inMemoryPorts()))

/** Logging into `logs`, or nowhere. */
export const captureLogs = (logs: Array<string> | undefined): Layer.Layer<never> =>
  Layer.mergeAll(
    Logger.layer(logs === undefined ? [] : [makeJsonLogger((line) => logs.push(line))]),
    Layer.succeed(References.MinimumLogLevel, logs === undefined ? "None" : "Debug")
  )

/** Everything `HttpAppLive` needs besides the platform services. */
export const testDependencies = (options: TestOptions = {}) => {
  const config = HttpConfig.layerTest(options.config)
  return Layer.mergeAll(
    options.ports ?? inMemoryPorts(options.hasher),
    config,
    options.lifecycle ?? Lifecycle.layer,
    options.extra ?? Layer.empty,
    RateLimiterLive.pipe(Layer.provide(config), Layer.orDie),
    captureLogs(options.logs),
    options.now === undefined ? Layer.empty : shiftedClock(options.now),
    options.ready === undefined ? Layer.empty : Layer.succeed(ReadinessCheck, { check: options.ready })
  )
}
