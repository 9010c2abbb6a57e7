// The read baseline: a bare node:http server answering each path with bytes held in memory —
// what the fastest possible Node server does for the same reply. Started by the bench as its own
// process, like the service: `node bare-server.mjs <port> <routes.json>`, where routes.json maps a
// path to the JSON body to serve. Any other path is a 404.
import { readFileSync } from "node:fs"
import { createServer } from "node:http"

const [port, routesFile] = process.argv.slice(2)
const routes = new Map(
  Object.entries(JSON.parse(readFileSync(routesFile, "utf8"))).map(([path, body]) => [path, Buffer.from(body)])
)
const server = createServer((request, response) => {
  const body = routes.get(request.url)
  if (body === undefined) {
    response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}')
    return
  }
  response.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body)
})
server.keepAliveTimeout = 60_000
server.listen(Number(port), "127.0.0.1")
process.on("SIGTERM", () => server.close(() => process.exit(0)))
