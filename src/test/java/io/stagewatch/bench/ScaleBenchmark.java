package io.stagewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stagewatch.run.RunStatus;
import io.stagewatch.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench-scale} (and part of {@code make bench}): the packaged application, in a JVM of its own, against
 * an API server holding N realistic workflow pods ({@link RealisticPods}), for each N of {@code bench.scale.pods}
 * (default 1000,10000,50000), after a run with no pod at all (the baseline). Writes {@code target/bench/scale.json}
 * ({@code bench.scale.out}); {@code bench.scale.app} names another build of the application to measure.
 *
 * <p>
 * The API server is {@link FakeApiServer} in this JVM at every N (one server for every N, so that the figures
 * compare; the fabric8 mock server would make 50,000 pods quadratic). The application runs with its defaults
 * (reconcile every 30 s, pages of 500) and {@code -Xmx} {@code bench.scale.heap} (default 1g), against the
 * database {@code bench.db} (dropped and created anew before each N), with the status-capture finalizer off: the fake
 * does not implement PATCH, and the finalizer's patches are a cost of their own (one per unfinished pod, once).
 *
 * <p>
 * Per N:
 * <ul>
 * <li>{@code seconds_to_recorded}: from the process start until every pod's run is in PostgreSQL with the status
 * its pod shows (polled every 200 ms; then checked run by run), and {@code informer_restarts_while_recording}, the
 * watchdog's restarts until then (a restart starts the informer's LIST over), and
 * {@code observations_dropped_while_recording} (beyond {@code stagewatch.pipeline.capacity} undecided runs, an
 * observation waits for the next reconcile pass);</li>
 * <li>{@code pass}: the next reconcile pass, from its first LIST request (the fake's hook reads the application's
 * CPU time there) until the application's {@code stagewatch.reconcile.duration} counted it and no observation is
 * undecided: wall time, CPU seconds, the application's own timer, LIST requests and bytes served;</li>
 * <li>{@code steady}: CPU seconds used over {@code bench.scale.steady.seconds} with nothing changing in the cluster, as
 * a share of one core. The default, 60, is two reconcile intervals: a window of a whole number of intervals holds as
 * many passes wherever it starts (a 40 s window held one pass or two, and the share came out 2% or 4% at 10,000
 * pods);</li>
 * <li>{@code memory}: RSS, and the live heap as {@code jcmd GC.class_histogram} counts it after its full GC; per pod
 * = (live heap - the baseline's) / N;</li>
 * <li>{@code event_loop_blocked_warnings}: how often Vert.x warned that an event loop (which the database client
 * and the HTTP API share) was held for more than 2 s, over the whole run;</li>
 * <li>{@code vanish_seconds}: the watch is cut (closed, new ones refused), a running pod deleted, and the time until
 * its run is FAILED with POD_VANISHED.</li>
 * </ul>
 * Nothing is asserted but that the work was done (every run recorded right, the vanished pod found); the figures
 * go in docs/capacity.md.
 */
@Tag("bench")
class ScaleBenchmark {

    private static final Logger LOG = Logger.getLogger(ScaleBenchmark.class);
    private static final Duration RECORD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration PASS_TIMEOUT = Duration.ofMinutes(5);

    private final String database = BenchProfile.database();
    private final String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + database;

    @Test
    void scale() throws Exception {
        Path jar = Path.of(System.getProperty("bench.scale.app", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.exists(jar), "package the application first: mvn -DskipTests package");
        List<Integer> counts = new ArrayList<>(List.of(0));
        for (String count :
                System.getProperty("bench.scale.pods", "1000,10000,50000").split(",")) {
            counts.add(Integer.parseInt(count.trim()));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("heap_limit", heap());
        report.put("steady_seconds", steadySeconds());
        report.put("machine_cores", Runtime.getRuntime().availableProcessors());
        List<Map<String, Object>> runs = new ArrayList<>();
        Long baseline = null;
        for (int count : counts) {
            Map<String, Object> run = measure(jar, count, baseline);
            if (count == 0) {
                baseline = (Long) ((Map<?, ?>) run.get("memory")).get("live_heap_bytes");
            }
            runs.add(run);
            write(report, runs);
        }
    }

    private void write(Map<String, Object> report, List<Map<String, Object>> runs) throws Exception {
        report.put("runs", runs);
        Path json = output();
        Files.createDirectories(json.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    }

    private Map<String, Object> measure(Path jar, int count, Long baseline) throws Exception {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("pods", count);
        LOG.infof("scale: %d pods: building them", count);
        Map<String, RunStatus> expected = new HashMap<>();
        Map<RunStatus, Integer> expectedCounts = new EnumMap<>(RunStatus.class);
        RealisticPods.Built vanishing = null;
        long podBytes = 0;
        try (FakeApiServer api = new FakeApiServer()) {
            for (int i = 0; i < count; i++) {
                RealisticPods.Built pod = RealisticPods.pod(i);
                if (i == 0) {
                    podBytes = new ObjectMapper().writeValueAsBytes(pod.json()).length;
                }
                api.load(pod.json());
                expected.put(pod.uid(), pod.expected());
                expectedCounts.merge(pod.expected(), 1, Integer::sum);
                if (vanishing == null && pod.expected() == RunStatus.RUNNING) {
                    vanishing = pod;
                }
            }
            run.put("pod_json_bytes", podBytes);
            resetDatabase();
            Map<String, String> properties = new LinkedHashMap<>();
            // fabric8 reads it when the client is built (quarkus.kubernetes-client.api-server-url is fixed at build
            // time)
            properties.put("kubernetes.master", api.url());
            properties.put("kubernetes.auth.tryKubeConfig", "false");
            properties.put("kubernetes.auth.tryServiceAccount", "false");
            properties.put("quarkus.datasource.jdbc.url", jdbc);
            properties.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + database);
            properties.put("stagewatch.finalizer.enabled", "false");
            LOG.infof("scale: %d pods: starting the application", count);
            long start = System.nanoTime();
            Path log = Path.of(output().toString().replaceFirst("\\.json$", "") + "-" + count + ".log");
            Files.deleteIfExists(log);
            try (ServiceProcess app = ServiceProcess.start(
                    "stagewatch", jar, List.of("-Xmx" + heap()), properties, log, RECORD_TIMEOUT)) {
                // 1. every run recorded with its status
                await("every run recorded", RECORD_TIMEOUT, app, () -> counts().equals(expectedCounts));
                run.put("seconds_to_recorded", seconds(System.nanoTime() - start));
                run.put("informer_restarts_while_recording", metric(app, "stagewatch_informer_restarts_total"));
                run.put("observations_dropped_while_recording", metric(app, "stagewatch_observations_dropped_total"));
                assertEquals(0, wrongRuns(expected), "runs recorded with another status than their pod's");
                // 2. the first pass is over; then one whole pass, measured
                await("a first reconcile pass", PASS_TIMEOUT, app, () -> passes(app) >= 1 && undecided(app) == 0);
                run.put("pass", pass(app, api));
                // 3. steady state
                double cpuBefore = app.cpuSeconds();
                long listBefore = api.requests(FakeApiServer.Kind.LIST);
                long wallBefore = System.nanoTime();
                Thread.sleep(steadySeconds() * 1000L);
                double cpu = app.cpuSeconds() - cpuBefore;
                double wall = seconds(System.nanoTime() - wallBefore);
                Map<String, Object> steady = new LinkedHashMap<>();
                steady.put("seconds", wall);
                steady.put("cpu_seconds", round(cpu));
                steady.put("cpu_seconds_per_minute", round(cpu / wall * 60));
                steady.put("share_of_one_core_percent", round(cpu / wall * 100));
                steady.put("list_requests", api.requests(FakeApiServer.Kind.LIST) - listBefore);
                run.put("steady", steady);
                // 4. memory
                Map<String, Object> memory = new LinkedHashMap<>();
                app.memory()
                        .forEach((key, value) ->
                                memory.put(key.equals("VmRSS") ? "rss_bytes" : "rss_peak_bytes", value));
                ServiceProcess.Histogram histogram = app.liveHeap(12);
                memory.put("live_heap_bytes", histogram.totalBytes());
                if (baseline != null && count > 0) {
                    memory.put("live_heap_per_pod_bytes", (histogram.totalBytes() - baseline) / count);
                }
                memory.put("largest_classes", histogram.largestClasses());
                run.put("memory", memory);
                // 5. a pod deleted while the watch is down
                if (vanishing != null) {
                    run.put("vanish_seconds", vanish(app, api, vanishing));
                }
            }
            run.put("event_loop_blocked_warnings", blockedWarnings(log));
        }
        LOG.infof("scale: %s", run);
        return run;
    }

    /** Vert.x's warnings of an event loop held for more than 2 s, in the whole run of the application. */
    private static long blockedWarnings(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("BlockedThreadChecker") && line.contains("eventloop"))
                    .count();
        }
    }

    /** Waits for the next pass to start and end, and measures it. */
    private Map<String, Object> pass(ServiceProcess app, FakeApiServer api) throws Exception {
        AtomicReference<double[]> started = new AtomicReference<>();
        long[] listBefore = new long[2];
        api.onFirstPage(() -> {
            if (started.get() == null) {
                listBefore[0] = api.requests(FakeApiServer.Kind.LIST);
                listBefore[1] = api.bytes(FakeApiServer.Kind.LIST);
                started.set(new double[] {System.nanoTime(), app.cpuSeconds()});
            }
        });
        double passesBefore = passes(app);
        double timerBefore = metric(app, "stagewatch_reconcile_duration_seconds_sum");
        await("the next reconcile pass", PASS_TIMEOUT, app, () -> passes(app) > passesBefore && undecided(app) == 0);
        double[] end = {System.nanoTime(), app.cpuSeconds()};
        api.onFirstPage(() -> {});
        Map<String, Object> pass = new LinkedHashMap<>();
        pass.put("wall_seconds", round((end[0] - started.get()[0]) / 1e9));
        pass.put("cpu_seconds", round(end[1] - started.get()[1]));
        pass.put("app_timer_seconds", round(metric(app, "stagewatch_reconcile_duration_seconds_sum") - timerBefore));
        pass.put("list_requests", api.requests(FakeApiServer.Kind.LIST) - listBefore[0]);
        pass.put("list_bytes", api.bytes(FakeApiServer.Kind.LIST) - listBefore[1]);
        return pass;
    }

    private double vanish(ServiceProcess app, FakeApiServer api, RealisticPods.Built pod) throws Exception {
        api.cutWatches();
        long deleted = System.nanoTime();
        api.delete(pod.namespace(), pod.name());
        await(
                "POD_VANISHED",
                PASS_TIMEOUT,
                app,
                () -> query("SELECT count(*) FROM runs WHERE uid = '" + pod.uid() + "' AND reason = 'POD_VANISHED'")
                        == 1);
        double seconds = round(seconds(System.nanoTime() - deleted));
        api.restoreWatches();
        return seconds;
    }

    private double passes(ServiceProcess app) {
        return metric(app, "stagewatch_reconcile_duration_seconds_count");
    }

    private double undecided(ServiceProcess app) {
        return metric(app, "stagewatch_observations_undecided");
    }

    private static double metric(ServiceProcess app, String name) {
        return app.metric(name).orElse(Double.NaN);
    }

    private void await(String what, Duration timeout, ServiceProcess app, BooleanSupplier done)
            throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            assertTrue(app.isAlive(), "the application exited while waiting for " + what);
            assertTrue(Instant.now().isBefore(until), "timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    private Map<RunStatus, Integer> counts() {
        Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
        try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT status, count(*) FROM runs GROUP BY status")) {
            while (rows.next()) {
                counts.put(RunStatus.valueOf(rows.getString(1)), rows.getInt(2));
            }
        } catch (SQLException e) {
            return Map.of(); // the schema is not there yet
        }
        return counts;
    }

    private long wrongRuns(Map<String, RunStatus> expected) throws SQLException {
        long wrong = 0;
        try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT uid, status FROM runs")) {
            while (rows.next()) {
                if (expected.get(rows.getString(1)) != RunStatus.valueOf(rows.getString(2))) {
                    wrong++;
                }
            }
        }
        return wrong;
    }

    private long query(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void resetDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
    }

    /** {@code bench.scale.out}, default {@code target/bench/scale.json}; each N's application log goes beside it. */
    private static Path output() {
        return Path.of(System.getProperty("bench.scale.out", "target/bench/scale.json"));
    }

    private static String heap() {
        return System.getProperty("bench.scale.heap", "1g");
    }

    private static int steadySeconds() {
        return Integer.getInteger("bench.scale.steady.seconds", 60);
    }

    private static double seconds(long nanos) {
        return round(nanos / 1e9);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
