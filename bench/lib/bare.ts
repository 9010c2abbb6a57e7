// Starts the bare node:http baseline (bare-server.mjs) serving `routes` (path -> JSON text).
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { startServed } from "./processes.ts"
import type { Served } from "./processes.ts"

const SERVER = fileURLToPath(new URL("./bare-server.mjs", import.meta.url))

export const startBare = async (routes: Record<string, string>, scratch: string): Promise<Served> => {
  const file = join(scratch, "bare-routes.json")
  await writeFile(file, JSON.stringify(routes))
  const [first] = Object.keys(routes)
  return startServed("bare node:http", [SERVER, "{port}", file], {}, first ?? "/")
}
