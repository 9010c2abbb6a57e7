import { Effect, Layer } from "effect"
import type { RequestListener, Server } from "node:http"
import { HashAdmission } from "../handlers/admission.ts"
import { ReplyMemo } from "../http/replyMemo.ts"
import { type FastAnswer, type FastPathServices, makeFastKit } from "./fastKit.ts"
import { makeFastHashRefusals } from "./fastHashRefusals.ts"
import { makeFastPurchases } from "./fastPurchases.ts"
import { makeFastReads } from "./fastReads.ts"
import { Lifecycle } from "./Lifecycle.ts"

// The fast paths: the hottest requests, answered from the Node request listener without a fiber
// per request, the router or the middleware (which cost several times what Node itself spends on
// such a request). Each path takes only requests it can answer exactly as the full stack would,
// and does for them what the edge middleware does (`fastKit.ts`). Everything else goes to the
// full stack: credentials, CORS, draining, a limiter that needs I/O (Redis) or forwarded client
// addresses, and whatever a path declines.

/**
 * Puts the fast paths in front of the request listener the serving layer installed on `server`,
 * and takes them away when the layer's scope closes (before the server drains), so that the
 * serving layer finds its own listener to remove.
 */
export const fastPath = (server: Server): Layer.Layer<never, never, FastPathServices> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const listeners = server.listeners("request")
    const first = listeners[0]
    if (listeners.length !== 1 || typeof first !== "function") return
    // The one listener is the serving layer's: a (request, response) handler.
    const full = first as RequestListener
    const lifecycle = yield* Lifecycle
    const kit = yield* makeFastKit
    const memo = yield* ReplyMemo
    const hashing = yield* HashAdmission
    const answers: ReadonlyArray<FastAnswer> = [
      ...(memo === undefined ? [] : [makeFastReads(kit, memo)]),
      makeFastPurchases(kit),
      ...(hashing === undefined ? [] : [makeFastHashRefusals(kit, hashing)])
    ]

    const listener: RequestListener = (request, response) => {
      if (!kit.usable || lifecycle.isDraining()) return full(request, response)
      for (const answer of answers) {
        if (answer(request, response)) return
      }
      full(request, response)
    }
    server.off("request", full)
    server.on("request", listener)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        server.off("request", listener)
        server.on("request", full)
      })
    )
  }))
