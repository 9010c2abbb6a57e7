import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("cli", import.meta.url, {
  // A throw-away PostgreSQL for the run (or TEST_DATABASE_URL); each test file makes its own database.
  globalSetup: ["test/globalSetup.ts"]
})
