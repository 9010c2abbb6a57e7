import { Cause, Clock, Context, Deferred, Effect, Layer, Option } from "effect"
import { EventRepository, EventSnapshots, TicketInventory } from "@ticketmania/domain"
import type { Event, EventId, EventSnapshotsShape, EventPage, ListEventsQuery, PurchaseCommand, SaleStock } from "@ticketmania/domain"
import { makeEventCache } from "./EventCache.ts"
import type { EventCache, EventCacheOptions } from "./EventCache.ts"

// A decorator of two ports over one cache: `EventRepository` reads go through the cache, and
// `TicketInventory` purchases report to it what they sold. Wrap the real ports with it in the
// composition root:
//
//   cachedEventPorts({ ttlMillis: 1_000 }).pipe(Layer.provideMerge(PgStorageLive))

const pageKey = (q: ListEventsQuery) => JSON.stringify([q.page, q.limit, q.q, q.from, q.to, q.availableOnly, q.sort])

/**
 * Concurrent misses of one key share one load: when an entry expires under load, 64 waiting
 * readers make one query, not 64. When the caller doing the load is interrupted (its client went
 * away), the others start over: one of them loads.
 */
const singleFlight = <A>() => {
  const running = new Map<string, Deferred.Deferred<A>>()
  const run = (key: string, load: Effect.Effect<A>): Effect.Effect<A> =>
    Effect.suspend(() => {
      const pending = running.get(key)
      if (pending !== undefined) {
        return Effect.catchCause(Deferred.await(pending), (cause) => Cause.hasInterruptsOnly(cause) ? run(key, load) : Effect.failCause(cause))
      }
      const deferred = Deferred.makeUnsafe<A>()
      running.set(key, deferred)
      return Effect.onExit(load, (exit) =>
        Effect.sync(() => {
          running.delete(key)
          Deferred.doneUnsafe(deferred, exit)
        }))
    })
  return run
}

/** The reads, through the cache. */
const cachedRepository = (real: EventRepository["Service"], cache: EventCache): EventRepository["Service"] => {
  const loadEvent = singleFlight<Option.Option<Event>>()
  const loadPage = singleFlight<EventPage>()
  return EventRepository.of({
    create: (event) => Effect.tap(real.create(event), () => Effect.sync(cache.forgetPages)),
    findById: (id) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const cached = cache.event(id, now)
        if (cached !== undefined) return Effect.succeed(Option.some(cached))
        return loadEvent(
          String(id),
          Effect.suspend(() => {
            const ticket = cache.beginLoad()
            return Effect.flatMap(real.findById(id), (loaded) =>
              Effect.map(Clock.currentTimeMillis, (at) => Option.map(loaded, (event) => cache.storeEvent(event, ticket, at))))
          })
        )
      }),
    listPublished: (query) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const key = pageKey(query)
        const cached = cache.page(key, now)
        if (cached !== undefined) return Effect.succeed(cached)
        return loadPage(
          key,
          Effect.suspend(() => {
            const ticket = cache.beginLoad()
            return Effect.flatMap(real.listPublished(query), (loaded) =>
              Effect.map(Clock.currentTimeMillis, (at) => cache.storePage(key, query.availableOnly, loaded, ticket, at)))
          })
        )
      })
  })
}

/** After a sale: each type's sold count is its count under the lock plus the tickets just sold. */
const reportSale = (cache: EventCache, stock: SaleStock, soldByType: ReadonlyMap<number, number>) => {
  for (const type of stock.ticketTypes.values()) {
    const sold = soldByType.get(type.id)
    if (sold !== undefined) cache.reportSold(type.eventId, type.id, type.soldQty + sold, type.totalQty)
  }
}

/** Purchases, reporting to the cache what they sold or what they found. */
const reportingInventory = (real: TicketInventory["Service"], cache: EventCache): TicketInventory["Service"] =>
  TicketInventory.of({
    purchase: (command: PurchaseCommand) =>
      Effect.suspend(() => {
        // The inventory hands the locked stock the sale was decided against to `confirmation`,
        // inside its transaction; the last call is the attempt that committed.
        let locked: SaleStock | undefined
        const observed: PurchaseCommand = {
          ...command,
          confirmation: (receipt, stock) => {
            locked = stock
            return command.confirmation(receipt, stock)
          }
        }
        const eventIds = (): ReadonlyArray<EventId> => [...new Set(command.request.lines.map((l) => l.eventId))]
        return real.purchase(observed).pipe(
          Effect.tap(({ receipt, replayed }) =>
            Effect.sync(() => {
              if (replayed || locked === undefined) return
              const soldByType = new Map<number, number>()
              for (const t of receipt.tickets) soldByType.set(t.ticketTypeId, (soldByType.get(t.ticketTypeId) ?? 0) + 1)
              reportSale(cache, locked, soldByType)
            })
          ),
          Effect.tapError((error) =>
            Effect.sync(() => {
              switch (error._tag) {
                case "SoldOut": {
                  // `left` was read under the lock: if the cache shows more, another instance sold.
                  for (const eventId of eventIds()) {
                    const type = cache.cachedType(eventId, error.ticketTypeId)
                    if (type !== undefined && type.availableQty > error.left) {
                      cache.reportSold(eventId, type.id, type.totalQty - error.left, type.totalQty)
                    }
                  }
                  return
                }
                case "NotOnSale":
                case "EventNotFound":
                case "TicketTypeNotFound":
                  // The database disagrees with what may be cached (status, start, existence).
                  for (const eventId of eventIds()) cache.forgetEvent(eventId)
                  return
                default:
                  return
              }
            })
          )
        )
      }),
    // A batch reports the stock it left, read under its lock: each type's absolute sold count.
    purchaseMany: (commands, options) =>
      Effect.tap(real.purchaseMany(commands, options), ({ stock }) =>
        Effect.sync(() => {
          for (const type of stock.ticketTypes.values()) cache.reportSold(type.eventId, type.id, type.soldQty, type.totalQty)
        }))
  })

/**
 * What the cached repository would answer now without a load: the same objects, so a reader that
 * kept something derived from them (the HTTP adapter's encoded replies) can tell it still stands.
 * Callers are not effects: the time comes from the `Clock` the layer was built with.
 */
const snapshots = (cache: EventCache, clock: Clock.Clock): EventSnapshotsShape => ({
  event: (id) => cache.event(id, clock.currentTimeMillisUnsafe()),
  page: (query) => cache.page(pageKey(query), clock.currentTimeMillisUnsafe())
})

/**
 * `EventRepository` and `TicketInventory` decorated with an in-process read cache of events and
 * listing pages that stays exact about availability for the sales made through this process, and
 * at most `ttlMillis` behind for changes made elsewhere (other instances, other programs). Needs
 * the real ports; provides the decorated ones and the cache's `EventSnapshots` (a reference: not in the type).
 */
export const cachedEventPorts = (
  options: EventCacheOptions
): Layer.Layer<EventRepository | TicketInventory, never, EventRepository | TicketInventory> =>
  Layer.effectContext(Effect.gen(function*() {
    const repository = yield* EventRepository
    const inventory = yield* TicketInventory
    const cache = makeEventCache(options)
    const clock = yield* Clock.Clock
    return Context.make(EventRepository, cachedRepository(repository, cache)).pipe(
      Context.add(TicketInventory, reportingInventory(inventory, cache)),
      Context.add(EventSnapshots, snapshots(cache, clock))
    )
  }))
