-- The platform (the profile's name) whose pod a run is. A release without profiles inserts runs without it: the
-- default names the only platform that release watches. Adding a column with a constant default rewrites no row.
ALTER TABLE runs ADD COLUMN platform text NOT NULL DEFAULT 'stagewatch';

-- Notification rules may name the platforms they apply to; NULL (every rule of a release without profiles) matches
-- every platform. A release without profiles does not read the column: while one still runs beside this one, a rule
-- that names platforms is matched on every platform by it (it records only stagewatch-labelled pods, whose runs a
-- rule naming `stagewatch` matches anyway), so create such rules once the rollout is done.
ALTER TABLE notification_rules ADD COLUMN platforms text[] CHECK (platforms IS NULL OR cardinality(platforms) > 0);
