// One keep-alive HTTP/1.1 connection on a raw socket, for the closed-loop clients of buyers.ts.
// node:http's client costs about as much CPU per request as the service spends answering it
// (request and response objects, header validation, the agent's bookkeeping); on a 2-core machine
// that CPU is taken from the service and PostgreSQL and shows up in what is measured. This client
// writes a request as one string and reads only what the bench needs: status, the few headers it
// looks at, and the body (Content-Length or chunked). One request at a time per connection; a
// reply that says `Connection: close`, or a socket the server closed, means a new connection for
// the next request.
import { connect, type Socket } from "node:net"

/** A reply as read off the wire. */
export interface RawReply {
  readonly status: number
  /** Lower-cased names; only the last value of a repeated header. */
  readonly headers: ReadonlyMap<string, string>
  readonly body: string
}

const HEADER_END = Buffer.from("\r\n\r\n")

interface Parsed {
  readonly reply: RawReply
  readonly close: boolean
}

/** The reply at the start of `data`, once all of it is there (undefined until then). */
const parseReply = (data: Buffer): Parsed | undefined => {
  const headEnd = data.indexOf(HEADER_END)
  if (headEnd === -1) return undefined
  const lines = data.toString("latin1", 0, headEnd).split("\r\n")
  const status = Number(lines[0]?.split(" ")[1])
  const headers = new Map<string, string>()
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":")
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const start = headEnd + HEADER_END.length
  const close = headers.get("connection")?.toLowerCase() === "close"
  if (headers.get("transfer-encoding")?.toLowerCase().includes("chunked")) {
    const parts: Array<Buffer> = []
    let at = start
    for (;;) {
      const sizeEnd = data.indexOf("\r\n", at)
      if (sizeEnd === -1) return undefined
      const size = Number.parseInt(data.toString("latin1", at, sizeEnd), 16)
      const chunkStart = sizeEnd + 2
      if (data.length < chunkStart + size + 2) return undefined
      if (size === 0) return { reply: { status, headers, body: Buffer.concat(parts).toString("utf8") }, close }
      parts.push(data.subarray(chunkStart, chunkStart + size))
      at = chunkStart + size + 2
    }
  }
  const length = Number(headers.get("content-length") ?? 0)
  if (data.length < start + length) return undefined
  return { reply: { status, headers, body: data.toString("utf8", start, start + length) }, close }
}

/** A connection to `host:port` that sends one request at a time. */
export class KeepAliveConnection {
  private socket: Socket | undefined
  private received: Buffer = Buffer.alloc(0)
  private waiting: { readonly resolve: (reply: RawReply) => void; readonly reject: (error: Error) => void } | undefined

  private readonly host: string
  private readonly port: number
  private readonly timeoutMillis: number

  constructor(host: string, port: number, timeoutMillis: number) {
    this.host = host
    this.port = port
    this.timeoutMillis = timeoutMillis
  }

  /** Sends `head` (request line and headers, without the blank line) and `body`; resolves with the reply. */
  request(head: string, body: string): Promise<RawReply> {
    return new Promise<RawReply>((resolve, reject) => {
      const socket = this.socket ?? this.open()
      const timer = setTimeout(() => this.fail(new Error("timeout")), this.timeoutMillis)
      this.waiting = {
        resolve: (reply) => {
          clearTimeout(timer)
          resolve(reply)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        }
      }
      socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
    })
  }

  /** Opens the connection before the first request is sent; resolves once it is established. */
  connect(): Promise<void> {
    const socket = this.socket ?? this.open()
    return new Promise<void>((resolve, reject) => {
      if (!socket.connecting) return resolve()
      socket.once("error", reject)
      socket.once("connect", () => {
        socket.removeListener("error", reject)
        resolve()
      })
    })
  }

  close(): void {
    this.socket?.destroy()
    this.socket = undefined
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true })
    this.received = Buffer.alloc(0)
    // A socket closed on purpose may still report its end: only the current one counts.
    socket.on("data", (chunk: Buffer) => this.socket === socket && this.read(chunk))
    socket.on("error", (error) => this.socket === socket && this.fail(error))
    socket.on("close", () => this.socket === socket && this.fail(new Error("connection closed")))
    this.socket = socket
    return socket
  }

  private read(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk])
    const parsed = parseReply(this.received)
    if (parsed === undefined) return
    this.received = Buffer.alloc(0)
    if (parsed.close) this.close()
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.resolve(parsed.reply)
  }

  private fail(error: Error): void {
    this.close()
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.reject(error)
  }
}
