-- GET /api/stats counts finished runs since a point in time, grouped by one column and by day: a range scan of this
-- index that never visits the table (the grouping columns are included) while the visibility map is current.
CREATE INDEX runs_finished ON runs (finished_at) INCLUDE (status, cause, reason, stage, pipeline)
    WHERE finished_at IS NOT NULL;
