import { packageConfig } from "../../vitest.shared.ts"

export default packageConfig("adapters-pg", import.meta.url, {
  // A throw-away embedded PostgreSQL (fsync off) for the whole run, unless TEST_DATABASE_URL
  // names a server; its URL reaches the tests through inject("ticketmaniaDatabaseUrl"). Each
  // test file then works in a database of its own (testDatabaseLayer).
  globalSetup: ["test/globalSetup.ts"]
})
