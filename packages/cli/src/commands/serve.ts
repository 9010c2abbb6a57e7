import { Layer } from "effect"
import { NodeRuntime } from "@effect/platform-node"
import { gracefulTeardown } from "@ticketmania/adapters-http"
import type { Output } from "../output.ts"
import { makeServeLive } from "../serve/ServeLive.ts"

/** `serve`: runs the service until SIGINT/SIGTERM, then shuts down gracefully and exits 0. */
export const serveCommand = (options: { port?: string; host?: string; migrate: boolean }, _output: Output): void => {
  // The flags win over the environment; the service reads both through its configuration.
  if (options.port !== undefined) process.env.PORT = options.port
  if (options.host !== undefined) process.env.HOST = options.host
  Layer.launch(makeServeLive({ migrate: options.migrate })).pipe(NodeRuntime.runMain({ teardown: gracefulTeardown }))
}
