import { Event, TicketType } from "@ticketmania/domain"
import type { EventId, EventPage, TicketTypeId } from "@ticketmania/domain"

// The cache's memory, all synchronous (JavaScript runs one thing at a time, so no locks).
//
// Static parts of an event (title, dates, ticket types and prices) rarely change; sold counts
// change on every sale. Entries hold whole events, loaded from the real repository, and the sold
// counts are kept exact by what this process sees happen: every sale it makes reports each ticket
// type's sold count *after* the sale, read under the inventory lock (an absolute value, not a
// delta, so applying it twice or late is harmless). Sold counts only grow, so the larger of two
// reports is the newer one.
//
// The one race: a load from the database may have read its snapshot before or after a sale that
// reports while the load is in flight. Every report carries a sequence number; a load remembers
// the sequence when it started and, before it is stored, takes the larger count of any report
// made since. Reports from before it started are already in its snapshot (they followed their
// commit). What this process cannot see — sales by other instances, edits by other programs —
// is bounded by the time to live: an entry older than that is loaded again.

/** A loaded page of the listing: which events, in order, and how many match in all. */
interface PageEntry {
  readonly ids: ReadonlyArray<EventId>
  readonly total: number
  readonly loadedAt: number
  /** The page last served from this entry. */
  served?: EventPage
}

interface EventEntry {
  /** The event as it is served; replaced (a new object) whenever a count moves. */
  event: Event
  readonly loadedAt: number
}

/** Where a load started: reports and listing changes after this must be taken into account. */
export interface LoadTicket {
  readonly seq: number
  readonly pagesGeneration: number
}

/** Limits of the cache. */
export interface EventCacheOptions {
  /** How long a loaded entry is trusted for what this process cannot see (other instances). */
  readonly ttlMillis: number
  /** Events kept at most (the oldest loaded go first). */
  readonly maxEvents?: number
  /** Listing pages kept at most. */
  readonly maxPages?: number
}

const withSold = (event: Event, sold: ReadonlyMap<TicketTypeId, number>): Event => {
  let changed = false
  const ticketTypes = event.ticketTypes.map((t) => {
    const now = sold.get(t.id)
    if (now === undefined || now <= t.soldQty) return t
    changed = true
    return new TicketType({ ...t, soldQty: Math.min(now, t.totalQty) })
  })
  return changed ? new Event({ ...event, ticketTypes }) : event
}

const hasStock = (event: Event) => event.ticketTypes.some((t) => t.availableQty > 0)

const evictOldest = <K, V>(map: Map<K, V>, max: number) => {
  for (const key of map.keys()) {
    if (map.size <= max) return
    map.delete(key)
  }
}

/** The cache state. */
export const makeEventCache = (options: EventCacheOptions) => {
  const maxEvents = options.maxEvents ?? 10_000
  const maxPages = options.maxPages ?? 1_000
  const events = new Map<EventId, EventEntry>()
  const pages = new Map<string, PageEntry & { readonly availableOnly: boolean }>()
  // Per ticket type: the largest sold count reported, and the sequence number of that report.
  const reports = new Map<TicketTypeId, { readonly sold: number; readonly seq: number }>()
  let seq = 0
  let pagesGeneration = 0

  const fresh = (loadedAt: number, now: number) => now - loadedAt < options.ttlMillis

  /** Reports made since `ticket`, as counts to apply to a load. */
  const reportsSince = (ticket: LoadTicket): ReadonlyMap<TicketTypeId, number> => {
    const since = new Map<TicketTypeId, number>()
    if (ticket.seq === seq) return since
    for (const [id, report] of reports) if (report.seq > ticket.seq) since.set(id, report.sold)
    return since
  }

  const storeEvent = (loaded: Event, since: ReadonlyMap<TicketTypeId, number>, now: number): Event => {
    const event = since.size === 0 ? loaded : withSold(loaded, since)
    events.delete(event.id) // re-inserted last: eviction goes by load order
    events.set(event.id, { event, loadedAt: now })
    evictOldest(events, maxEvents)
    return event
  }

  return {
    /** Marks the start of a load from the real repository. */
    beginLoad: (): LoadTicket => ({ seq, pagesGeneration }),

    /** The cached event, if loaded within the time to live. */
    event: (id: EventId, now: number): Event | undefined => {
      const entry = events.get(id)
      return entry !== undefined && fresh(entry.loadedAt, now) ? entry.event : undefined
    },

    /** Stores an event loaded since `ticket`, brought up to date; returns what to serve. */
    storeEvent: (loaded: Event, ticket: LoadTicket, now: number): Event => storeEvent(loaded, reportsSince(ticket), now),

    /**
     * A cached page of the listing, if it and every event on it are within the time to live. The
     * same page object as last time while none of its events changed, so that callers can keep
     * what they derived from it (the HTTP adapter keeps its JSON).
     */
    page: (key: string, now: number): EventPage | undefined => {
      const entry = pages.get(key)
      if (entry === undefined || !fresh(entry.loadedAt, now)) return undefined
      const found: Array<Event> = []
      let same = entry.served !== undefined
      for (const [i, id] of entry.ids.entries()) {
        const cached = events.get(id)
        if (cached === undefined || !fresh(cached.loadedAt, now)) return undefined
        found.push(cached.event)
        same &&= entry.served?.events[i] === cached.event
      }
      if (same && entry.served !== undefined) return entry.served
      entry.served = { events: found, total: entry.total }
      return entry.served
    },

    /**
     * Stores a page loaded since `ticket` and its events; returns what to serve. Not stored when
     * the listing changed meanwhile (an event was created), or when an "only with stock" page now
     * shows an event that sold out meanwhile: that page is served once, then loaded again.
     */
    storePage: (key: string, availableOnly: boolean, loaded: EventPage, ticket: LoadTicket, now: number): EventPage => {
      const since = reportsSince(ticket)
      const served = loaded.events.map((e) => storeEvent(e, since, now))
      const stale = ticket.pagesGeneration !== pagesGeneration || (availableOnly && !served.every(hasStock))
      const page: EventPage = { events: served, total: loaded.total }
      if (!stale) {
        pages.delete(key)
        // Served as it is returned here until one of its events changes.
        pages.set(key, { ids: served.map((e) => e.id), total: loaded.total, loadedAt: now, availableOnly, served: page })
        evictOldest(pages, maxPages)
      }
      return page
    },

    /**
     * A sale committed: `sold` is the type's sold count after it (read under the inventory lock).
     * The cached event, if any, is brought up to date; a type selling out drops the "only with
     * stock" pages, whose membership may have changed.
     */
    reportSold: (eventId: EventId, ticketTypeId: TicketTypeId, sold: number, totalQty: number): void => {
      const previous = reports.get(ticketTypeId)
      reports.delete(ticketTypeId)
      reports.set(ticketTypeId, { sold: Math.max(sold, previous?.sold ?? 0), seq: ++seq })
      evictOldest(reports, maxEvents * 10)
      const entry = events.get(eventId)
      if (entry !== undefined) entry.event = withSold(entry.event, new Map([[ticketTypeId, sold]]))
      if (sold >= totalQty) {
        for (const [key, page] of pages) if (page.availableOnly) pages.delete(key)
      }
    },

    /** The cached sold count of a type, for a sold-out answer to be checked against. */
    cachedType: (eventId: EventId, ticketTypeId: TicketTypeId): TicketType | undefined =>
      events.get(eventId)?.event.ticketTypes.find((t) => t.id === ticketTypeId),

    /** Drops an event whose state this process found to differ (status, existence). */
    forgetEvent: (id: EventId): void => {
      events.delete(id)
    },

    /** Drops every listing page (an event was created: pages may gain a member). */
    forgetPages: (): void => {
      pagesGeneration++
      pages.clear()
    }
  }
}

export type EventCache = ReturnType<typeof makeEventCache>
