// Shared by scripts/test.mjs and scripts/lint.mjs: run a tool's CLI as a child of the current
// Node (the launcher, scripts/node24.mjs, has already picked a Node >= 22.19), one step at a time.
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { constants } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const root = join(dirname(fileURLToPath(import.meta.url)), "..")

// Nx must never try its cloud or start a daemon, whoever calls it below us.
const env = { ...process.env, NX_NO_CLOUD: "true", NX_DAEMON: "false" }

/** The JS entry of an installed package's bin, read from its package.json (no PATH, no shims). */
export function bin(pkg, name = pkg) {
  const dir = join(root, "node_modules", pkg)
  const { bin: bins } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  return join(dir, typeof bins === "string" ? bins : bins[name])
}

/** Prints a header, runs `node script ...args` from the repo root, resolves to its exit code. */
export function step(title, script, args = []) {
  console.log(`\n▶ ${title}`)
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, env, stdio: "inherit" })
    // Pass Ctrl-C / SIGTERM on to the child and let it wind down; its exit code then stops us.
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"]
    const forward = (signal) => child.kill(signal)
    for (const signal of signals) process.on(signal, forward)
    let finished = false
    const done = (code) => {
      if (finished) return // "error" and "exit" can both come
      finished = true
      for (const signal of signals) process.off(signal, forward)
      const took = `${((performance.now() - started) / 1000).toFixed(1)} s`
      console.log(code === 0 ? `✔ ${title} (${took})` : `✖ ${title}: exit ${code} (${took})`)
      resolve(code)
    }
    child.on("error", (error) => {
      console.error(`could not run ${script}: ${error.message}`)
      done(127)
    })
    child.on("exit", (code, signal) => done(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)))
  })
}
