import { Context, Effect, Layer, Option } from "effect"
import type { Scope } from "effect"
import { EventRepository, TicketInventory } from "@ticketmania/domain"
import type { EventId, TicketType } from "@ticketmania/domain"
import { InMemoryStorage, line, purchaseCommand } from "@ticketmania/testing"
import type { StoragePorts } from "@ticketmania/testing"
import { cachedEventPorts } from "../src/index.ts"

/** The time to live of the instances below; only `TestClock.adjust` moves time in these tests. */
export const TTL = 1_000

/** One store (the database) and two service instances, each with its own cache over it. */
export interface World {
  readonly database: Context.Context<StoragePorts>
  readonly a: Context.Context<StoragePorts>
  readonly b: Context.Context<StoragePorts>
}

const instance = (database: Context.Context<StoragePorts>, ttlMillis: number) =>
  Effect.map(
    Layer.build(cachedEventPorts({ ttlMillis }).pipe(Layer.provide(Layer.succeedContext(database)))),
    (cached) => Context.merge(database, cached)
  )

/**
 * A fresh world. `database` may replace the store's ports (say, to pause them at chosen points);
 * the instances' caches are built over what it returns.
 */
export const makeWorld = (
  options: {
    readonly ttlMillis?: number
    readonly database?: (real: Context.Context<StoragePorts>) => Context.Context<StoragePorts>
  } = {}
): Effect.Effect<World, never, Scope.Scope> =>
  Effect.gen(function*() {
    const real = yield* Layer.build(InMemoryStorage)
    const database = options.database?.(real) ?? real
    const ttl = options.ttlMillis ?? TTL
    return { database, a: yield* instance(database, ttl), b: yield* instance(database, ttl) }
  })

/** Reads an event through `on` (an instance or the database itself). */
export const read = (on: Context.Context<StoragePorts>, id: EventId) =>
  Effect.flatMap(
    Effect.provide(EventRepository.use((r) => r.findById(id)), on),
    (found) => Option.isSome(found) ? Effect.succeed(found.value) : Effect.die(new Error(`event ${id} not found`))
  )

/** Sold counts of an event's types, read through `on`. */
export const soldOn = (on: Context.Context<StoragePorts>, id: EventId) =>
  Effect.map(read(on, id), (event) => event.ticketTypes.map((t) => t.soldQty))

/** Buys `quantity` of `type` through `on`. */
export const buy = (on: Context.Context<StoragePorts>, type: TicketType, quantity: number) =>
  Effect.provide(
    Effect.flatMap(purchaseCommand([line(type, quantity)]), (command) => TicketInventory.use((i) => i.purchase(command))),
    on
  )
