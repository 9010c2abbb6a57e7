// Starts the test PostgreSQL for this package's run (see @ticketmania/adapters-pg/testing).
export { default } from "@ticketmania/adapters-pg/testing/globalSetup"
