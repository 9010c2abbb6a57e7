import { storageContracts } from "@ticketmania/testing"
import { DB_TIMEOUT, TestStorage } from "./support.ts"

// The same suites the in-memory adapters pass, against PostgreSQL: each suite gets a fresh
// migrated database of its own.
storageContracts("PostgreSQL", TestStorage(), { timeout: DB_TIMEOUT })
