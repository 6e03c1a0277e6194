-- Flyway runs this after every migrate, at every start (quarkus.flyway.migrate-at-start), before stagewatch reads or
-- writes anything: when the database is not the one the last feed epoch began in (a logical restore), it begins a new
-- epoch (V12). When the restored transitions carry transaction ids this database has not reached yet, all of them
-- are moved below zero, below every id it will give, in their order; `shift` says by how much, for the positions
-- clients hold. One instance does it: the others wait for the lock and find the epoch begun.
DO $$
DECLARE
    here       text := (SELECT system_identifier::text FROM pg_control_system()) || '/'
                       || (SELECT oid::text FROM pg_database WHERE datname = current_database());
    last_epoch feed_epochs%ROWTYPE;
    last_xid   bigint;
    last_id    bigint;
    moved      bigint := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('stagewatch.feed-epoch'));
    SELECT * INTO last_epoch FROM feed_epochs ORDER BY epoch DESC LIMIT 1;
    IF last_epoch.database = here THEN
        RETURN;
    END IF;
    SELECT xid, id INTO last_xid, last_id FROM transitions ORDER BY xid DESC, id DESC LIMIT 1;
    IF last_xid >= pg_current_xact_id()::text::bigint THEN
        moved := last_xid + 1;
        UPDATE transitions SET xid = xid - moved;
    END IF;
    INSERT INTO feed_epochs (epoch, database, shift, restored_xid, restored_id)
    VALUES (last_epoch.epoch + 1, here, moved, last_xid, last_id);
    RAISE NOTICE 'stagewatch: a new feed epoch % began in database %, transitions moved by %',
        last_epoch.epoch + 1, here, moved;
END $$;
