import type { Server } from "node:http"
import type { Duplex } from "node:stream"

// Requests Node refuses before any handler runs — a request line and headers over its 16 KiB
// limit, headers slower than `headersTimeout`, bytes that are not HTTP — were answered by Node's
// default with a bare status line and no body. The contract wants every error as JSON, so they
// get the same statuses with the JSON envelope. Found by the system tests (10,000 query keys).

const REPLIES: Record<string, readonly [status: number, reason: string, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, "Request Header Fields Too Large", "request_header_fields_too_large", "the request line and headers are larger than the limit"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "Payload Too Large", "payload_too_large", "the chunk extensions are larger than the limit"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request Timeout", "request_timeout", "the request took too long to arrive"]
}
const BAD_REQUEST = [400, "Bad Request", "bad_request", "the request is not valid HTTP"] as const

/** Answers the requests Node's parser refuses with a JSON error, as Node would with a bare one. */
export const answerClientErrors = (server: Server): void => {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex & { readonly bytesWritten?: number }) => {
    // Nothing can be said on a connection that is gone or already carries (part of) a reply.
    if (!socket.writable || (socket.bytesWritten ?? 0) > 0) return socket.destroy()
    const [status, reason, code, message] = REPLIES[error.code ?? ""] ?? BAD_REQUEST
    const body = JSON.stringify({ error: message, code })
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`
    )
  })
}
