import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Events and their ticket types (one inventory row per type). The CHECKs are the last line of
 * defence against overselling or nonsense prices even when the application is bypassed.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE events (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title        text NOT NULL CONSTRAINT events_title_not_blank CHECK (btrim(title) <> ''),
      description  text NOT NULL DEFAULT '',
      location     text NOT NULL DEFAULT '',
      date         date NOT NULL,
      start_time   timestamptz NOT NULL,
      end_time     timestamptz NOT NULL,
      status       text NOT NULL CONSTRAINT events_status_valid CHECK (status IN ('draft', 'published', 'cancelled')),
      organizer_id bigint NOT NULL REFERENCES users (id),
      created_at   timestamptz NOT NULL DEFAULT now(),
      updated_at   timestamptz NOT NULL DEFAULT now(),
      version      integer NOT NULL DEFAULT 1,
      CONSTRAINT events_ends_after_start CHECK (end_time > start_time)
    )`
  // The listing: published events by each sort key, ids breaking ties. Titles sort by code point
  // (COLLATE "C"), the same on every server whatever its locale.
  yield* sql`CREATE INDEX events_listing_start_time ON events (status, start_time, id)`
  yield* sql`CREATE INDEX events_listing_title ON events (status, title COLLATE "C", id)`
  yield* sql`CREATE INDEX events_listing_created_at ON events (status, created_at, id)`
  yield* sql`CREATE INDEX events_organizer_id ON events (organizer_id)`

  yield* sql`
    CREATE TABLE ticket_types (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id      bigint NOT NULL REFERENCES events (id),
      name          text NOT NULL CONSTRAINT ticket_types_name_not_blank CHECK (btrim(name) <> ''),
      price         bigint NOT NULL CONSTRAINT ticket_types_price_non_negative CHECK (price >= 0),
      currency      text NOT NULL CONSTRAINT ticket_types_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
      total_qty     integer NOT NULL CONSTRAINT ticket_types_total_positive CHECK (total_qty > 0),
      sold_qty      integer NOT NULL DEFAULT 0
                    CONSTRAINT ticket_types_sold_within_total CHECK (sold_qty >= 0 AND sold_qty <= total_qty),
      max_per_order integer NOT NULL DEFAULT 10 CONSTRAINT ticket_types_max_per_order_positive CHECK (max_per_order >= 1),
      -- Target of the tickets' composite key, so a ticket's event is always its type's event.
      CONSTRAINT ticket_types_id_event_key UNIQUE (id, event_id)
    )`
  // Also the index for the foreign key on event_id (its leading column).
  yield* sql`CREATE UNIQUE INDEX ticket_types_event_name_key ON ticket_types (event_id, lower(name))`
})
