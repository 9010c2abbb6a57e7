import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("system-tests", import.meta.url, {
  // A throw-away PostgreSQL for the run (or TEST_DATABASE_URL); each test file makes its own databases.
  globalSetup: ["test/globalSetup.ts"]
})
