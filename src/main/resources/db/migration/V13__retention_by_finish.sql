-- Retention now deletes finished runs by finished_at, through runs_finished (V5), so every finish no longer pays for a
-- second index of finished runs. A release before this one, while it still runs beside this one during a rolling
-- update, finds its expired runs by updated_at without an index: a scan of runs per batch, slower but correct.
DROP INDEX runs_expiring;
