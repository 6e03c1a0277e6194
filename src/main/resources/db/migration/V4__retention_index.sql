-- Retention deletes finished runs by age, oldest first, a small batch at a time.
CREATE INDEX runs_expiring ON runs (updated_at) WHERE status IN ('SUCCEEDED', 'FAILED');
