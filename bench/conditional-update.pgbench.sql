-- The hot-row serial ceiling: one conditional UPDATE per sale, autocommit, nothing else (no order,
-- no ticket, no mail). At one client this is as fast as PostgreSQL sells from one row with every
-- commit durable: the yardstick of issue #9 (about 2.4k–4.4k/s on the reference 2-core machine).
-- Variables: :tt ticket type id.
UPDATE ticket_types SET sold_qty = sold_qty + 1 WHERE id = :tt AND sold_qty + 1 <= total_qty;
