// Starts the test PostgreSQL for this package's run; shared with other packages from src/testing.
export { default } from "../src/testing/globalSetup.ts"
