package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Failure statistics over finished runs, counted by PostgreSQL in one pass over the index runs_finished. */
@ApplicationScoped
public class RunStatsRepository {

    /**
     * The runs finished since $1 (of stage $3, pipeline $4, platform $5 and cluster $6 when given), counted twice in
     * one scan: per value of the grouping column named by $2 (the rows whose day is NULL) and per UTC day (the rows whose key is NULL; a group's key never is). Public for
     * {@code make bench}, which records the plan PostgreSQL makes of it.
     */
    public static final String STATS = """
            WITH finished AS (
                SELECT COALESCE(CASE $2
                                    WHEN 'cause' THEN cause
                                    WHEN 'reason' THEN reason
                                    WHEN 'stage' THEN stage
                                    WHEN 'pipeline' THEN pipeline
                                    WHEN 'platform' THEN platform
                                    WHEN 'cluster' THEN cluster
                                END, 'none') AS key,
                       (finished_at AT TIME ZONE 'UTC')::date AS day,
                       status, cause
                FROM runs
                WHERE finished_at IS NOT NULL AND finished_at >= $1
                  AND ($3::text IS NULL OR stage = $3)
                  AND ($4::text IS NULL OR pipeline = $4)
                  AND ($5::text IS NULL OR platform = $5)
                  AND ($6::text IS NULL OR cluster = $6))
            SELECT key, day,
                   count(*) FILTER (WHERE status = 'SUCCEEDED') AS succeeded,
                   count(*) FILTER (WHERE status = 'FAILED') AS failed,
                   count(*) FILTER (WHERE cause = 'WORKLOAD') AS workload,
                   count(*) FILTER (WHERE cause = 'INFRASTRUCTURE') AS infrastructure
            FROM finished
            GROUP BY GROUPING SETS ((key), (day))
            ORDER BY day NULLS FIRST, failed DESC, key""";

    private final Pool pool;

    public RunStatsRepository(Pool pool) {
        this.pool = pool;
    }

    /** Groups with the most failures first, then days oldest first; only groups and days that had a finished run. */
    public Uni<FailureStats> stats(Instant since, StatsGrouping by, StatsFilter filter) {
        return pool.preparedQuery(STATS)
                .execute(Tuple.of(
                        Rows.utc(since),
                        by.name().toLowerCase(Locale.ROOT),
                        filter.stage() == null ? null : filter.stage().name(),
                        filter.pipeline(),
                        filter.platform(),
                        filter.cluster()))
                .map(RunStatsRepository::from);
    }

    private static FailureStats from(RowSet<Row> rows) {
        List<FailureStats.Group> groups = new ArrayList<>();
        List<FailureStats.Day> days = new ArrayList<>();
        for (Row row : rows) {
            if (row.getLocalDate("day") == null) {
                groups.add(new FailureStats.Group(
                        row.getString("key"),
                        row.getLong("succeeded"),
                        row.getLong("failed"),
                        row.getLong("workload"),
                        row.getLong("infrastructure")));
            } else {
                days.add(new FailureStats.Day(
                        row.getLocalDate("day"),
                        row.getLong("succeeded"),
                        row.getLong("workload"),
                        row.getLong("infrastructure")));
            }
        }
        return new FailureStats(groups, days);
    }
}
