// A real server process over in-memory ports, for the graceful shutdown test: run it with Node,
// read "HTTP server listening on HOST:PORT" from its JSON log on stdout, then send it signals.
// Password hashing takes 300 ms, so registrations stay in flight long enough to be caught.
import { NodeRuntime } from "@effect/platform-node"
import { Duration, Effect, Layer } from "effect"
import { makeInMemoryPasswordHasher } from "@ticketmania/testing"
import { gracefulTeardown } from "../../src/index.ts"
import { testServerLayer } from "./socketServer.ts"

const server = testServerLayer({
  hasher: makeInMemoryPasswordHasher(Effect.sleep("300 millis")),
  // The test of the shutdown deadline sets a short one through the environment.
  config: { logLevel: "Info", shutdownTimeout: Duration.millis(Number(process.env.TEST_SHUTDOWN_TIMEOUT_MS ?? 10_000)) }
})

NodeRuntime.runMain(Layer.launch(server), { teardown: gracefulTeardown })
