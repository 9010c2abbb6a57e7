import { Layer } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { HttpAppLive } from "../../src/index.ts"
import { buildRequest, type Send } from "./client.ts"
import { testDependencies, type TestOptions } from "./deps.ts"

/** The whole HTTP app (edge middleware included) as a fetch-style handler, without a socket. */
export const inProcessApp = (options: TestOptions = {}) => {
  const { handler, dispose } = HttpRouter.toWebHandler(
    HttpAppLive.pipe(Layer.provideMerge(testDependencies(options)), Layer.provide(HttpServer.layerServices)),
    { disableLogger: true }
  )
  const send: Send = (path, init) => handler(buildRequest("http://localhost", path, init))
  return { handler, dispose, send }
}
