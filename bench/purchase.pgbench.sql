-- The flash-sale baseline: the purchase transaction done directly by pgbench, the database's own
-- limit for this work. Like the service it locks the ticket type, writes the order and its ticket
-- and adds to the sold count in one READ COMMITTED transaction; it skips what the service does
-- besides (reading the event, the idempotency record, the confirmation mail), so it is the
-- stricter yardstick. Variables: :tt ticket type id, :ev its event id, :price.
\set buyer random(1, 1000000000)
BEGIN;
SELECT sold_qty, total_qty FROM ticket_types WHERE id = :tt FOR UPDATE;
INSERT INTO orders (buyer_email, total_amount, currency) VALUES ('buyer' || :buyer || '@bench.test', :price, 'USD') RETURNING id AS order_id \gset
INSERT INTO tickets (order_id, event_id, ticket_type_id, code, buyer_email, buyer_phone, price)
  VALUES (:order_id, :ev, :tt, gen_random_uuid()::text, 'buyer' || :buyer || '@bench.test', '+2348012345678', :price);
UPDATE ticket_types SET sold_qty = sold_qty + 1 WHERE id = :tt AND sold_qty + 1 <= total_qty;
COMMIT;
