// The settings every vitest project shares. A project's own config file does not inherit the
// root vitest.config.ts, so each packages/*/vitest.config.ts builds its config with this.
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig, type TestUserConfig } from "vitest/config"

/** The config of the package whose vitest.config.ts is at `configUrl` (its import.meta.url). */
export function packageConfig(name: string, configUrl: string, test: TestUserConfig = {}) {
  const dir = resolve(fileURLToPath(new URL(".", configUrl)))
  return defineConfig({
    test: {
      name,
      // Sources only: `tsc -b` emits into dist/, which must never be picked up as tests.
      include: ["test/**/*.test.ts"],
      testTimeout: 30_000,
      // Suites whose layers start a database (embedded PostgreSQL: initdb takes seconds).
      hookTimeout: 120_000,
      // A package with no tests yet passes when run on its own (`npm test -w`, Nx: the cwd is
      // the package). Not in the root run: there a package without test files is fine anyway,
      // an empty file or describe must fail, and a run that finds no tests at all fails too.
      passWithNoTests: process.cwd() === dir,
      ...test
    }
  })
}
