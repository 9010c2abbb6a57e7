#!/usr/bin/env node
// Runs a command under Node >= 22.19 (the project's runtime: type stripping for .ts sources,
// undici 8, vitest 5). On such a Node it simply runs the command. On an older Node it fetches a
// Node 24 binary from the npm registry once (the `node-<platform>` packages, cached by npx), puts
// it first on PATH and runs the command under it, forwarding signals so graceful shutdown works.
// Kept in plain ES2020 JavaScript so that it itself runs on old Node versions.
import { execFileSync, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { constants } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const NODE24 = "24.21.0"
const [major, minor] = process.versions.node.split(".").map(Number)
const modern = major > 22 || (major === 22 && minor >= 19)

function platformPackage() {
  const arch = process.arch
  if (process.platform === "linux") return `node-linux-${arch}`
  if (process.platform === "darwin") return `node-darwin-${arch}`
  if (process.platform === "win32") return `node-win-${arch}`
  throw new Error(`no Node ${NODE24} package known for ${process.platform}`)
}

function node24Dir() {
  const npx = process.platform === "win32" ? "npx.cmd" : "npx"
  // --prefer-offline: the version is pinned, so a cached copy is always right; without it npx
  // revalidates with the registry each time and, offline, retries for about 70 s before using it.
  const execPath = execFileSync(
    npx,
    ["--prefer-offline", "--yes", "-p", `${platformPackage()}@${NODE24}`, "--", "node", "-p", "process.execPath"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
  ).trim()
  return dirname(execPath)
}

const [command, ...args] = process.argv.slice(2)
if (!command) {
  console.error("usage: node scripts/node24.mjs <command> [args...]")
  process.exit(2)
}

const env = { ...process.env }
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const bins = [join(root, "node_modules", ".bin")]
if (!modern) bins.unshift(node24Dir())
env.PATH = [...bins, env.PATH].join(process.platform === "win32" ? ";" : ":")

const resolved = command === "node" && !modern ? join(bins[0], "node") : command
const child = spawn(existsSync(resolved) ? resolved : command, args, { stdio: "inherit", env })
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal))
}
child.on("error", (error) => {
  console.error(`could not run ${command}: ${error.message}`)
  process.exit(127)
})
child.on("exit", (code, signal) => {
  if (!signal) process.exit(code ?? 1)
  // Re-raise the child's signal on ourselves. Our forwarding handler must go first: a handled
  // signal does not end the process, which then exited 0 and hid the failure. The fallback
  // exit covers a signal that is ignored here (e.g. SIGINT in a background job).
  process.removeAllListeners(signal)
  process.kill(process.pid, signal)
  setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 100)
})
