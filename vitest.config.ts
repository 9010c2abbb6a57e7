// `vitest run` from the root runs every package as one project (npm test -> scripts/test.mjs).
// Each project's settings are in its own vitest.config.ts, built by vitest.shared.ts.
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    projects: ["packages/*", "examples/*"]
    // No passWithNoTests here: a run that finds no test file at all must fail.
  }
})
