#!/usr/bin/env node
// The `ticketmania` command. Its sources are TypeScript run by Node's type stripping, which needs
// Node >= 22.19; on an older Node it re-runs itself under Node 24 through the repository's
// launcher. Plain JavaScript, so that it runs on any Node.
import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const main = join(here, "..", "src", "main.ts")
const [major, minor] = process.versions.node.split(".").map(Number)

if (major > 22 || (major === 22 && minor >= 19)) {
  await import(main)
} else {
  const launcher = join(here, "..", "..", "..", "scripts", "node24.mjs")
  const child = spawn(process.execPath, [launcher, "node", main, ...process.argv.slice(2)], { stdio: "inherit" })
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal))
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 143)))
}
