import { Layer } from "effect"
import { coalescePurchases } from "@ticketmania/domain"
import { ticketInventoryContract } from "@ticketmania/testing"
import { DB_TIMEOUT, TestStorage } from "./support.ts"

// The inventory contract, races and mixed batches included, with purchases coalesced in front of
// the PostgreSQL adapter, as `ticketmania serve` runs it.
const coalesced = coalescePurchases({ windowMillis: 1, maxBatch: 64, batchesInFlight: 2, maxQueued: 1_000, maxWaitMillis: 1_000, soldOutTtlMillis: 1_000, retryAfterSeconds: 1 })

ticketInventoryContract("PostgreSQL, coalesced", coalesced.pipe(Layer.provideMerge(TestStorage())), { timeout: DB_TIMEOUT })
