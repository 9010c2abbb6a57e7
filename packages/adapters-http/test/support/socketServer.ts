import { Layer, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"
import { HttpConfig, HttpServerLive, ReadinessCheck } from "../../src/index.ts"
import { shiftedClock } from "./clock.ts"
import { inMemoryPorts, type TestOptions } from "./deps.ts"

/** The production server layer over in-memory ports, configured for a test. */
export const testServerLayer = (options: TestOptions = {}) =>
  HttpServerLive.pipe(
    Layer.provide(options.ports ?? inMemoryPorts(options.hasher)),
    Layer.provide(HttpConfig.layerTest({ logLevel: "None", ...options.config })),
    Layer.provide(options.now === undefined ? Layer.empty : shiftedClock(options.now)),
    Layer.provide(options.ready === undefined ? Layer.empty : Layer.succeed(ReadinessCheck, { check: options.ready }))
  )

/** Starts the real server on a free port of 127.0.0.1; `stop` shuts it down gracefully. */
export const startServer = async (options: TestOptions = {}) => {
  const runtime = ManagedRuntime.make(testServerLayer(options))
  const address = await runtime.runPromise(HttpServer.HttpServer.useSync((server) => server.address))
  if (address._tag === "UnixPathAddress") throw new Error("expected a TCP address")
  const base = `http://127.0.0.1:${address.port}`
  return { base, port: address.port, stop: () => runtime.dispose() }
}
