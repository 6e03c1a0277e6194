-- The cluster a run's pod belongs to (issue 23). Pod UIDs are random UUIDs, unique across clusters: the UID stays the
-- key, and the cluster says which instance may judge the run from the absence of its pod.
--
-- Rolling update: the runs already recorded, and those the previous release inserts while this one starts, belong to
-- the cluster of the instance that upgrades: the default is its stagewatch.cluster.name (the Flyway placeholder
-- `cluster`, which the configuration has checked to be a DNS label before the migration runs). A constant default
-- rewrites no row. This release always names the cluster itself, so the default matters only to the previous one. A
-- database that several clusters already shared (unsafe before this release) is upgraded with every instance stopped
-- (docs/operating.md): the runs of the other clusters would be given this one's name.
ALTER TABLE runs ADD COLUMN cluster text NOT NULL DEFAULT '${cluster}';

-- Every cluster name an instance watches, bound to the cluster's identity (the UID of its kube-system namespace) by
-- the first instance that can read it: an instance of another cluster under the same name refuses to start, so that
-- two clusters left on the default name cannot share a database by mistake. NULL while no instance could read it.
CREATE TABLE cluster_bindings (
    name       text        PRIMARY KEY,
    identity   text,
    bound_at   timestamptz NOT NULL DEFAULT now()
);

-- Notification rules may name the clusters they apply to; NULL (every rule written before) matches every cluster. The
-- previous release does not read the column: while it still runs beside this one, it matches a rule that names
-- clusters on every cluster (the only one it watches), so create such rules once the rollout is done.
ALTER TABLE notification_rules ADD COLUMN clusters text[] CHECK (clusters IS NULL OR cardinality(clusters) > 0);
