package io.stagewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.store.FailureStats;
import io.stagewatch.store.RunStatsRepository;
import io.stagewatch.store.StatsFilter;
import io.stagewatch.store.StatsGrouping;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: GET /api/stats's query ({@link RunStatsRepository#stats}) over a million finished runs
 * ({@code bench.stats.runs}) spread over the last 90 days, in the bench database. Times each grouping for the default
 * window (7 days, about 8% of the rows) and for 91 days (every row), after a warm-up, and records the plan PostgreSQL
 * chose. Writes {@code target/bench/stats.json}. It asserts only that the counts add up to the rows inserted; the
 * times are reported, never asserted.
 */
@QuarkusTest
@TestProfile(BenchProfile.class)
@WithKubernetesTestServer
@Tag("bench")
class StatsBenchmark {

    private static final Logger LOG = Logger.getLogger(StatsBenchmark.class);
    private static final String NAMESPACE = "bench-stats";
    private static final int DAYS = 90;

    /**
     * Finished runs, the newest at now: 80% succeeded, the failed ones 3 to 1 workload to infrastructure, over three
     * stages, 200 pipelines and a handful of reasons.
     */
    private static final String INSERT = """
            INSERT INTO runs (uid, namespace, pod, workflow, pipeline, stage, status, cause, reason, created_at,
                              finished_at, updated_at, version)
            SELECT 'bench-stats-' || i, $1, 'pod-' || i, 'wf-' || i, 'pipeline-' || (i % 200),
                   (ARRAY['CI', 'PRE_CD', 'POST_CD'])[1 + i % 3],
                   CASE WHEN i % 5 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
                   CASE WHEN i % 5 <> 0 THEN NULL WHEN i % 20 = 0 THEN 'INFRASTRUCTURE' ELSE 'WORKLOAD' END,
                   CASE WHEN i % 5 <> 0 THEN NULL
                        WHEN i % 20 = 0 THEN (ARRAY['NODE_LOST', 'EVICTED', 'PREEMPTED', 'NODE_SHUTDOWN'])[1 + i / 20 % 4]
                        ELSE (ARRAY['EXIT_CODE', 'OOM_KILLED', 'DEADLINE_EXCEEDED'])[1 + i / 5 % 3] END,
                   finished - interval '10 minutes', finished, finished, 1
            FROM generate_series(1, $2) AS i,
                 LATERAL (SELECT now() - ($3 * interval '1 day') * (i::float8 / $2)) AS t (finished)""";

    @Inject
    Pool pool;

    @Inject
    RunStatsRepository stats;

    @Test
    void statsOverAMillionRuns() throws Exception {
        int runs = Integer.getInteger("bench.stats.runs", 1_000_000);
        int repetitions = Integer.getInteger("bench.stats.repetitions", 20);
        deleteRuns();
        long insertStart = System.nanoTime();
        pool.preparedQuery(INSERT)
                .execute(Tuple.of(NAMESPACE, runs, DAYS))
                .await()
                .atMost(Duration.ofMinutes(10));
        double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
        // what autovacuum would do after such a load: statistics for the planner, the visibility map for index-only
        // scans
        pool.query("VACUUM ANALYZE runs").execute().await().atMost(Duration.ofMinutes(10));
        LOG.infof("bench: %d runs inserted in %.1f s", runs, insertSeconds);

        Map<String, Object> windows = new LinkedHashMap<>();
        // the default window, and one that holds every run inserted
        for (int days : new int[] {7, DAYS + 1}) {
            Instant since = Instant.now().minus(Duration.ofDays(days));
            Map<String, Object> byGrouping = new LinkedHashMap<>();
            for (StatsGrouping grouping : StatsGrouping.values()) {
                FailureStats result = query(since, grouping);
                long counted = result.groups().stream()
                        .mapToLong(g -> g.succeeded() + g.failed())
                        .sum();
                assertEquals(
                        counted,
                        result.days().stream()
                                .mapToLong(d -> d.succeeded() + d.workload() + d.infrastructure())
                                .sum(),
                        "groups and days count the same runs");
                if (days > DAYS) {
                    assertTrue(counted >= runs, "every run inserted is counted: " + counted);
                }
                for (int i = 0; i < 3; i++) {
                    query(since, grouping);
                }
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < repetitions; i++) {
                    long start = System.nanoTime();
                    query(since, grouping);
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                millis.sort(null);
                Map<String, Object> timing = new LinkedHashMap<>();
                timing.put("runs_counted", counted);
                timing.put("groups", result.groups().size());
                timing.put("median_ms", round(millis.get(millis.size() / 2)));
                timing.put("max_ms", round(millis.get(millis.size() - 1)));
                byGrouping.put(grouping.name().toLowerCase(Locale.ROOT), timing);
                LOG.infof("bench: stats %dd by %s: median %.1f ms", days, grouping, millis.get(millis.size() / 2));
            }
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("by", byGrouping);
            window.put("plan", plan(since));
            windows.put(days + "d", window);
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put(
                "what",
                "GET /api/stats's query (RunStatsRepository.stats) over finished runs spread evenly over the "
                        + "last " + DAYS + " days, after VACUUM ANALYZE; " + repetitions
                        + " timed runs per grouping after 3 "
                        + "warm-up runs, through the application's reactive pool");
        report.put("runs", runs);
        report.put("insert_seconds", round(insertSeconds));
        report.put("since", windows);
        report.put("machine", Map.of("processors", Runtime.getRuntime().availableProcessors()));
        Path dir = Files.createDirectories(Path.of("target/bench"));
        Path json = dir.resolve("stats.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        LOG.infof("bench: wrote %s", json.toAbsolutePath());
    }

    /** The bench database is shared by every benchmark: the million runs go when this one is done. */
    @AfterEach
    void deleteRuns() {
        pool.preparedQuery("DELETE FROM runs WHERE namespace = $1")
                .execute(Tuple.of(NAMESPACE))
                .await()
                .atMost(Duration.ofMinutes(10));
    }

    private FailureStats query(Instant since, StatsGrouping grouping) {
        return stats.stats(since, grouping, StatsFilter.ALL).await().atMost(Duration.ofMinutes(1));
    }

    /** The plan PostgreSQL makes of the statistics' query (grouped by cause), one line per node. */
    private List<String> plan(Instant since) {
        List<String> lines = new ArrayList<>();
        pool.preparedQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + RunStatsRepository.STATS)
                .execute(Tuple.of(since.atOffset(ZoneOffset.UTC), "cause", null, null))
                .await()
                .atMost(Duration.ofMinutes(1))
                .forEach((Row row) -> lines.add(row.getString(0)));
        return lines;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
