// `npm test`: typecheck, lint, then every vitest project, stopping at the first failure.
// Extra arguments go to vitest: `npm test -- --project domain`, `npm test -- -t "sold out"`.
import { join } from "node:path"
import { bin, root, step } from "./steps.mjs"

const steps = [
  ["typecheck (tsc -b)", bin("typescript", "tsc"), ["-b"]],
  ["lint (scripts/lint.mjs)", join(root, "scripts", "lint.mjs"), []],
  ["tests (vitest run)", bin("vitest"), ["run", ...process.argv.slice(2)]]
]

const started = performance.now()
const seconds = () => ((performance.now() - started) / 1000).toFixed(1)
for (const [title, script, args] of steps) {
  const code = await step(title, script, args)
  if (code !== 0) {
    console.error(`\n✖ npm test stopped at "${title}" (exit ${code}) after ${seconds()} s`)
    process.exit(code)
  }
}
console.log(`\n✔ typecheck, lint and tests passed in ${seconds()} s`)
