import type { IncomingMessage } from "node:http"
import type { ReplyMemoShape } from "../http/replyMemo.ts"
import { matchRoute } from "../http/routes.ts"
import type { FastAnswer, FastKit } from "./fastKit.ts"

// The fast path for the hottest reads. An anonymous `GET` whose reply the memo still knows
// (`http/replyMemo.ts`: the same event objects as when the full stack answered it) is written
// straight from the Node request listener. Other methods, credentials, CORS, a request body and
// any reply the memo does not know go to the full stack, which remembers anew.

const mayBeFast = (request: IncomingMessage): boolean => {
  const headers = request.headers
  return request.method === "GET" && headers.authorization === undefined && headers.origin === undefined &&
    (headers["content-length"] === undefined || headers["content-length"] === "0") &&
    headers["transfer-encoding"] === undefined
}

/** The fast path for remembered reads (`fastPath.ts` installs it). */
export const makeFastReads = (kit: FastKit, memo: ReplyMemoShape): FastAnswer => (request, response) => {
  if (!mayBeFast(request)) return false
  const url = request.url ?? ""
  const body = memo.recall(url)
  if (body === undefined) return false
  const route = matchRoute(url)?.pattern ?? "unmatched"
  // Limited: the full stack checks again (a refused check takes no token) and answers 429.
  if (!kit.allowed(request, route)) return false
  const taken = kit.begin(request, route)
  try {
    kit.reply(response, taken, { status: 200, headers: {}, body })
  } catch (error) {
    kit.defect(response, taken, error)
  }
  return true
}
