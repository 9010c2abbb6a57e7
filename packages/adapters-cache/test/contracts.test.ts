import { Layer } from "effect"
import { InMemoryStorage, storageContracts } from "@ticketmania/testing"
import { cachedEventPorts } from "../src/index.ts"

// Behind the cache, the storage ports still pass every contract suite, races included. The time to
// live is far longer than any test: only what the cache itself sees keeps it right.
storageContracts("in memory, behind the event read cache", cachedEventPorts({ ttlMillis: 3_600_000 }).pipe(Layer.provideMerge(InMemoryStorage)))
