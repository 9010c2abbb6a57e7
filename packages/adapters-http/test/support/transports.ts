import { fetchClient, type Send } from "./client.ts"
import type { TestOptions } from "./deps.ts"
import { inProcessApp } from "./inProcess.ts"
import { startServer } from "./socketServer.ts"

/** A running app and how to talk to it. */
export interface Running {
  readonly send: Send
  readonly stop: () => Promise<void>
}

/**
 * Both ways of running the app: in process (the whole router and middleware, no socket) and the
 * production server over a real socket. Suites run once per transport with `describe.each`.
 */
export const transports: ReadonlyArray<readonly [string, (options?: TestOptions) => Promise<Running>]> = [
  ["in process", async (options) => {
    const app = inProcessApp(options)
    return { send: app.send, stop: app.dispose }
  }],
  ["over a socket", async (options) => {
    const server = await startServer(options)
    return { send: fetchClient(server.base), stop: server.stop }
  }]
]

/** Starts the app before a suite and stops it after; `send` forwards to the running app. */
export const useApp = (
  start: (options?: TestOptions) => Promise<Running>,
  options: TestOptions | undefined,
  hooks: { beforeAll: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void }
): Send => {
  let running: Running | undefined
  hooks.beforeAll(async () => {
    running = await start(options)
  })
  hooks.afterAll(async () => {
    await running?.stop()
  })
  return (path, init) => {
    if (running === undefined) throw new Error("the app is not running")
    return running.send(path, init)
  }
}
