package io.stagewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: the ingest path (classify, decide, persist) on the real PostgreSQL, fed with synthetic pods
 * published straight on the {@link ObservationBus} (the mock API server is not what is measured), and pgbench on the
 * same SQL in the same run. Writes {@code target/bench/ingest.json}, and its no-op rate to {@code profiles.json}
 * ({@link ProfilesReport}). It asserts only that the work was done
 * (every transition committed once, no-ops wrote nothing, nothing dropped); the numbers are compared with their targets
 * in the report, never asserted.
 *
 * <p>
 * Phases, in order:
 * <ol>
 * <li>warm-up (JIT, connection pool, prepared statements): {@code bench.warmup.pods} pods, not reported;</li>
 * <li>throughput: {@code bench.pods} pods (default 20,000), Pending, Running, Succeeded each: 3 transitions per pod,
 * published as fast as the pipeline takes them with at most {@code bench.window} runs undecided; rate =
 * transitions / (last commit - first publish). A state the bus replaced with the pod's next one before it was decided
 * is no transition, and is reported as superseded (rare: see {@link BusBenchmark#runFlatOut});</li>
 * <li>no-ops: the final (Succeeded) states of those pods redelivered {@code bench.noop.observations} times in all
 * (default 500,000), as informer resyncs and repeated events do: the bus leaves each out, the version already decided
 * on; rate = observations / time until all are handled. Then as many again, each run reconsidered first, so that each
 * is read, classified and decided on, as a new version of a pod that changes nothing of its run is (no-op decisions).
 * With the default profile list ({@code stagewatch} alone), the latter is the one-profile side of
 * {@link ProfilesReport};</li>
 * <li>paced: {@code bench.paced.rate} transitions/s (default 1,000) for {@code bench.paced.seconds} (default 10);</li>
 * <li>pgbench on {@link PgBench#script() the same statements}, for each client count in {@code bench.pgbench.clients}
 * (default 8,16; the pipeline commits through at most {@code stagewatch.pipeline.writers} (4) transactions at a time), best rate kept.</li>
 * </ol>
 * Latency is observation to commit as the pipeline itself records it in {@code stagewatch.transitions.latency}
 * (from {@link Observation#receivedNanos()} to the commit's completion), captured value by value by a
 * {@link LatencyRecorder}. In the paced phase each observation carries its scheduled time as {@code receivedNanos},
 * so a late publisher adds to latency instead of hiding it (no coordinated omission).
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(BenchProfile.class)
@Tag("bench")
class IngestBenchmark extends BusBenchmark {

    private static final Logger LOG = Logger.getLogger(IngestBenchmark.class);

    private static final double TARGET_RATIO_TO_PGBENCH = 1.0;
    private static final double TARGET_NOOP_PER_SECOND = 50_000;
    private static final double TARGET_PACED_P99_MS = 20;

    @Test
    void ingest() throws Exception {
        int pods = PODS;
        int window = WINDOW;
        int pacedRate = Integer.getInteger("bench.paced.rate", 1_000);
        int pacedSeconds = Integer.getInteger("bench.paced.seconds", 10);
        int pgbenchSeconds = Integer.getInteger("bench.pgbench.seconds", 10);
        String pgbenchClients = System.getProperty("bench.pgbench.clients", "8,16");
        assertTrue(window < config.pipeline().capacity(), "bench.window must stay below the bus capacity");
        String loadAtStart = loadAverage();

        int pacedPods = Math.max(1, pacedRate * pacedSeconds / Workload.STEPS);
        Workload warmup = Workload.create("warmup", WARMUP_PODS);
        Workload load = Workload.create("load", pods);
        Workload paced = Workload.create("paced", pacedPods);
        attachRecorder(3 * (WARMUP_PODS + pods + pacedPods) + 1_000);
        double droppedBefore = dropped();

        // 1. warm-up
        LOG.infof("bench: warm-up, %d pods", WARMUP_PODS);
        warmUp(warmup);

        // 2. throughput
        LOG.infof("bench: throughput, %d pods = %d transitions", pods, pods * Workload.STEPS);
        long transitionsBefore = count("SELECT count(*) FROM transitions");
        int mark = latencies.mark();
        Phase flat = runFlatOut(load, window);
        long[] flatLatencies = latencies.sorted(mark, latencies.mark());
        assertEquals(
                transitionsBefore + flat.items(),
                count("SELECT count(*) FROM transitions"),
                "every transition is committed exactly once");
        assertEquals(0, count("SELECT count(*) FROM runs WHERE status <> 'SUCCEEDED'"), "every run ends SUCCEEDED");

        // 3. no-ops: redeliveries left out by the bus; then decided in full, the one-profile side of profiles.json
        LOG.infof("bench: no-ops, %d redelivered observations", NOOP_OBSERVATIONS);
        long transitionsAfterFlat = transitionsBefore + flat.items();
        Phase noop = noops(load, NOOP_OBSERVATIONS, false);
        LOG.infof("bench: no-op decisions, %d observations, profiles %s", NOOP_OBSERVATIONS, enabledProfiles());
        String loadBeforeNoops = loadAverage();
        Phase noopDecisions = noops(load, NOOP_OBSERVATIONS, true);
        ProfilesReport.add(
                ProfilesReport.ONE_PROFILE, enabledProfiles(), noopDecisions, loadBeforeNoops, loadAverage());

        // 4. paced
        LOG.infof("bench: paced, %d transitions/s for %d s", pacedRate, pacedSeconds);
        System.gc();
        mark = latencies.mark();
        Phase steady = runPaced(paced, pacedRate);
        long[] pacedLatencies = latencies.sorted(mark, latencies.mark());
        List<Map<String, Object>> pacedBySecond =
                latencies.byCommitTime(mark, latencies.mark(), steady.start(), 1_000_000_000L);
        assertEquals(
                transitionsAfterFlat + steady.items(),
                count("SELECT count(*) FROM transitions"),
                "every paced transition is committed exactly once");
        assertEquals(droppedBefore, dropped(), "no observation was dropped");

        // 5. pgbench on the same SQL, same database, same machine, same run
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Path script = dir.resolve("ingest-pgbench.sql");
        Files.writeString(script, PgBench.script(), StandardCharsets.UTF_8);
        List<PgBench.Result> runs = new ArrayList<>();
        List<Map<String, Object>> pgbenchCpu = new ArrayList<>();
        for (String clients : pgbenchClients.split(",")) {
            LOG.infof("bench: pgbench, %s clients, %d s", clients.trim(), pgbenchSeconds);
            CpuSample before = CpuSample.now();
            PgBench.Result result = PgBench.run(
                    script,
                    BenchProfile.database(),
                    Integer.parseInt(clients.trim()),
                    Math.min(2, Runtime.getRuntime().availableProcessors()),
                    pgbenchSeconds);
            pgbenchCpu.add(CpuSample.now().since(before));
            assertEquals(0, result.failed(), "pgbench transactions failed");
            runs.add(result);
        }
        PgBench.Result best =
                runs.stream().max((a, b) -> Double.compare(a.tps(), b.tps())).orElseThrow();

        Map<String, Object> report = report(
                pods,
                window,
                flat,
                flatLatencies,
                noop,
                noopDecisions,
                pacedRate,
                steady,
                pacedLatencies,
                pacedBySecond,
                runs,
                pgbenchCpu,
                best);
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        machine.put("load_average_at_start", loadAtStart);
        machine.put("load_average_at_end", loadAverage());
        Path json = dir.resolve("ingest.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        LOG.infof("bench: wrote %s", json.toAbsolutePath());
    }

    /**
     * Publishes one observation every {@code 1/rate} s; each carries its scheduled time, so latency counts from when
     * it was due even if the publisher was late.
     */
    private Phase runPaced(Workload pods, int rate) {
        int[] schedule = pods.schedule(Math.max(1, rate / Workload.STEPS));
        long interval = 1_000_000_000L / rate;
        Counts before = counts();
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < schedule.length; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            publish(pods.event(schedule[i]), due);
        }
        return transitions(before, schedule.length, start, System.nanoTime());
    }

    private Map<String, Object> report(
            int pods,
            int window,
            Phase flat,
            long[] flatLatencies,
            Phase noop,
            Phase noopDecisions,
            int pacedRate,
            Phase steady,
            long[] pacedLatencies,
            List<Map<String, Object>> pacedBySecond,
            List<PgBench.Result> pgbenchRuns,
            List<Map<String, Object>> pgbenchCpu,
            PgBench.Result best) {
        double transitionsPerSecond = flat.ratePerSecond();
        double pgbenchTransitions = best.transitionsPerSecond();
        double ratio = transitionsPerSecond / pgbenchTransitions;
        double noopPerSecond = noop.ratePerSecond();
        double pacedP99 = LatencyRecorder.percentileMillis(pacedLatencies, 0.99);
        double pacedAchieved = steady.ratePerSecond();
        boolean pacedAtRate = pacedAchieved >= 0.98 * pacedRate;

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "ingest");
        report.put("at", Instant.now().toString());
        report.put("transitions_per_second", round(transitionsPerSecond));
        report.put(
                "latency_ms",
                LatencyRecorder.report(
                        flatLatencies,
                        "observation to commit while saturated, at most " + window
                                + " runs undecided: mostly queueing"));
        report.put("paced_" + pacedRate + "_per_second", pacedReport(pacedRate, steady, pacedLatencies, pacedBySecond));
        report.put("noop_observations_per_second", round(noopPerSecond));
        report.put("noop_decisions_per_second", round(noopDecisions.ratePerSecond()));
        Map<String, Object> pgbench = new LinkedHashMap<>();
        pgbench.put("tps", round(best.tps()));
        pgbench.put("transitions_per_second", round(pgbenchTransitions));
        pgbench.put("clients", best.clients());
        pgbench.put("threads", best.threads());
        pgbench.put("seconds", best.seconds());
        pgbench.put("latency_average_ms", best.latencyAverageMs());
        pgbench.put("command", String.join(" ", best.command()));
        pgbench.put("script", "target/bench/ingest-pgbench.sql");
        pgbench.put(
                "note",
                "one pgbench transaction = one pod's life = " + PgBench.STATEMENTS
                        + " statements (INSERT ... PENDING, UPDATE -> RUNNING, UPDATE -> SUCCEEDED), each its own transaction,"
                        + " as RunRepository issues them; transitions_per_second = tps * " + PgBench.STATEMENTS
                        + ". The pipeline also issues one SELECT (findVersion) per run it has not seen, which pgbench does not.");
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < pgbenchRuns.size(); i++) {
            PgBench.Result run = pgbenchRuns.get(i);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("clients", run.clients());
            one.put("tps", round(run.tps()));
            one.put("transitions_per_second", round(run.transitionsPerSecond()));
            one.put("latency_average_ms", run.latencyAverageMs());
            one.put("transactions", run.transactions());
            one.put("cpu", pgbenchCpu.get(i));
            all.add(one);
        }
        pgbench.put("runs", all);
        report.put("pgbench", pgbench);
        report.put("transitions_to_pgbench_ratio", Math.round(ratio * 1000) / 1000.0);

        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("transitions_to_pgbench_ratio_min", TARGET_RATIO_TO_PGBENCH);
        targets.put("noop_observations_per_second_min", TARGET_NOOP_PER_SECOND);
        targets.put("paced_rate_per_second", pacedRate);
        targets.put("paced_p99_ms_max", TARGET_PACED_P99_MS);
        report.put("targets", targets);
        Map<String, Object> met = new LinkedHashMap<>();
        met.put("transitions_vs_pgbench", ratio >= TARGET_RATIO_TO_PGBENCH);
        met.put("noop_observations", noopPerSecond >= TARGET_NOOP_PER_SECOND);
        met.put("paced_p99", pacedAtRate && pacedP99 <= TARGET_PACED_P99_MS);
        met.put("all", met.values().stream().allMatch(Boolean.TRUE::equals));
        report.put("met", met);

        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("pods", pods);
        throughput.put("transitions", flat.items());
        throughput.put("superseded", flat.superseded());
        throughput.put("seconds", round3(flat.seconds()));
        throughput.put("publishing_seconds", round3(flat.publishingSeconds()));
        throughput.put("max_undecided", window);
        throughput.put("gc", flat.gcReport());
        throughput.put("cpu", flat.cpu());
        details.put("throughput", throughput);
        details.put(
                "noop",
                noopReport(
                        noop,
                        "the version already decided on, redelivered: the bus leaves it out"
                                + " (stagewatch.observations.unchanged)"));
        details.put(
                "noop_decisions",
                noopReport(
                        noopDecisions,
                        "the same redeliveries, each run reconsidered first: read, classified and decided on, as a"
                                + " new version of a pod that changes nothing of its run is"));
        details.put(
                "source",
                "Observation.PodSeen(RECONCILE, pod, deleted=false) published on ObservationBus;"
                        + " the pipeline classifies, decides and persists as in production");
        details.put(
                "latency_source",
                "every value the pipeline records on " + LATENCY_TIMER
                        + " (receivedNanos to commit), kept one by one; nearest-rank percentiles");
        report.put("runs", details);

        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("postgresql", setting("SELECT version()"));
        machine.put("synchronous_commit", setting("SHOW synchronous_commit"));
        machine.put("database", BenchProfile.database());
        report.put("machine", machine);
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("lanes", config.pipeline().lanes());
        app.put("bus_capacity", config.pipeline().capacity());
        app.put(
                "pool_max_size",
                ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.datasource.reactive.max-size", String.class)
                        .orElse("default"));
        report.put("app", app);
        return report;
    }

    /** A no-op phase: nothing written. */
    private static Map<String, Object> noopReport(Phase phase, String what) {
        Map<String, Object> noops = new LinkedHashMap<>();
        noops.put("observations", phase.items());
        noops.put("superseded", phase.superseded());
        noops.put("seconds", round3(phase.seconds()));
        noops.put("writes", 0);
        noops.put("gc", phase.gcReport());
        noops.put("cpu", phase.cpu());
        noops.put("what", what);
        return noops;
    }

    private static Map<String, Object> pacedReport(
            int rate, Phase steady, long[] sorted, List<Map<String, Object>> bySecond) {
        Map<String, Object> paced = LatencyRecorder.report(sorted, "observation (its scheduled time) to commit");
        paced.put("target_rate", rate);
        paced.put("achieved_rate", round(steady.ratePerSecond()));
        paced.put("offered_rate", round(steady.items() / steady.publishingSeconds()));
        paced.put("transitions", steady.items());
        paced.put("superseded", steady.superseded());
        paced.put("seconds", round3(steady.seconds()));
        paced.put(
                "over_target_ms",
                Arrays.stream(sorted)
                        .filter(nanos -> nanos > TARGET_PACED_P99_MS * 1e6)
                        .count());
        paced.put("gc", steady.gcReport());
        paced.put("cpu", steady.cpu());
        paced.put("by_second_of_commit", bySecond);
        return paced;
    }
}
