-- The feed survives a logical dump and restore (issue 26). The feed orders transitions by the id of the transaction
-- that wrote them (V3), but transaction ids belong to one PostgreSQL cluster: restored into another, the rows keep the
-- old cluster's ids, and the new cluster's own ids may be lower, so new transitions would sort before the restored
-- ones and never reach a client. Each database the data has lived in is an epoch: the cluster's system identifier and
-- the database's oid, which a logical restore always changes (a physical backup or a replica keeps both, and its
-- transaction ids too). afterMigrate.sql, run after every migrate (so at every start), begins a new epoch when the
-- database is not the last epoch's. A feed position carries its epoch; a position of an earlier epoch is moved by
-- each later epoch's `shift`, or, when it lies beyond what the restore brought (`restored_xid`, `restored_id`: the
-- last position of the previous epoch present here), answered with a `reset` event.
CREATE TABLE feed_epochs (
    epoch        integer     PRIMARY KEY,
    database     text        NOT NULL,
    -- subtracted from the xid of every transition restored into this epoch, to put them all below every xid here
    shift        bigint      NOT NULL DEFAULT 0,
    restored_xid bigint,
    restored_id  bigint,
    began_at     timestamptz NOT NULL DEFAULT now()
);

INSERT INTO feed_epochs (epoch, database)
SELECT 0, (SELECT system_identifier::text FROM pg_control_system()) || '/' || oid::text
FROM pg_database WHERE datname = current_database();
