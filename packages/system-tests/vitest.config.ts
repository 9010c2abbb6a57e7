import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("system-tests", import.meta.url, {
  // A throw-away PostgreSQL for the run (or TEST_DATABASE_URL); each test file makes its own databases.
  globalSetup: ["test/globalSetup.ts"],
  // Each file puts a real service under load or faults on a 2-core machine: one file at a time,
  // and only after every other project has finished (in `npm test`), so that no test's load is
  // another test's fault.
  fileParallelism: false,
  sequence: { groupOrder: 1 }
})
