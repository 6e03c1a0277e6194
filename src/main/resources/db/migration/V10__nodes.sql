-- The node a run's pod was scheduled to (spec.nodeName), and why the run is at risk while that node fails (issue 25):
-- null, or a short text such as "node ci-pool-3 NotReady since 10:04:05Z". Not a status: it changes with no
-- transition, the version untouched, and a terminal transition clears it. Adding nullable columns rewrites no row; a
-- release before this one neither reads nor writes them.
ALTER TABLE runs ADD COLUMN node text, ADD COLUMN at_risk text;
