-- The feed publishes transitions in the order they become visible, not in id order: ids are taken at insert, and a
-- transaction that took a lower id can commit after one that took a higher id. Each transition records the id of the
-- transaction that wrote it; the feed reads only rows whose transaction is older than every transaction still running
-- (pg_snapshot_xmin of the current snapshot), in (xid, id) order, so no row can appear later behind its position.
-- The default fills the column for the previous release's inserts too, so both releases can run side by side.
ALTER TABLE transitions ADD COLUMN xid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);

CREATE INDEX transitions_visible ON transitions (xid, id);
