package io.stagewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.pipeline.KnownRuns;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.pipeline.PipelineMetrics;
import io.stagewatch.platform.Profiles;
import io.stagewatch.run.Source;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * What the benchmarks that publish synthetic pods straight on the {@link ObservationBus} share: the sizes of their
 * phases, the warm-up, publishing flat out, the redelivered no-ops, and the waits that tell when a phase is done. The
 * pipeline classifies, decides and persists as in production; the mock API server is not what is measured.
 */
abstract class BusBenchmark {

    static final String LATENCY_TIMER = "stagewatch.transitions.latency";
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

    /** Pods of the throughput phase, whose final states the no-ops redeliver: {@code bench.pods}. */
    static final int PODS = Integer.getInteger("bench.pods", 20_000);

    static final int WARMUP_PODS = Integer.getInteger("bench.warmup.pods", 3_000);
    /** At most this many runs undecided while publishing flat out: {@code bench.window}. */
    static final int WINDOW = Integer.getInteger("bench.window", 2_000);

    static final int NOOP_OBSERVATIONS = Integer.getInteger("bench.noop.observations", 500_000);

    @Inject
    ObservationBus bus;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Inject
    StagewatchConfig config;

    @Inject
    PipelineMetrics metrics;

    @Inject
    Profiles profiles;

    @Inject
    KnownRuns known;

    LatencyRecorder latencies;
    private Timer latencyTimer;
    /** The application's own registry (not the recorder): a composite reads its meters from any one child. */
    private MeterRegistry appRegistry;

    /**
     * JIT, connection pool, prepared statements: the pods' lives, then redeliveries of their final states; then table
     * statistics, as a database in service has them. Without them the statements' plans are those of the empty tables
     * the benchmark starts with, kept while the tables grow (a cached generic plan is made again only when the
     * statistics change, and autovacuum analyzes a table within a minute or so, after the benchmark's phases): the
     * feed's read then scanned every run for each transition.
     */
    void warmUp(Workload warmup) {
        runFlatOut(warmup, WINDOW);
        republish(warmup, 100_000, false);
        republish(warmup, 100_000, true);
        pool.query("ANALYZE").execute().await().atMost(Duration.ofMinutes(1));
        System.gc();
    }

    /**
     * The final states of {@code load}'s pods, which were all recorded, redelivered {@code observations} times in
     * all, as informer resyncs and repeated events do; each changes nothing. With {@code decide}, the pipeline is first
     * told to {@link KnownRuns#reconsider} the run, so that each redelivery is read, classified and decided on, as a new
     * version of a pod that changes nothing of its run is; else the bus leaves out each, as the very version decided on
     * already. Rate = observations handled (decided or left out) / time until all are.
     */
    Phase noops(Workload load, int observations, boolean decide) {
        System.gc();
        long transitionsBefore = count("SELECT count(*) FROM transitions");
        long committedBefore = latencyTimer.count();
        Phase noop = republish(load, observations, decide);
        assertEquals(committedBefore, latencyTimer.count(), "a redelivery commits nothing");
        assertEquals(transitionsBefore, count("SELECT count(*) FROM transitions"), "a redelivery writes nothing");
        return noop;
    }

    /** The enabled profiles, as the application tries them. */
    String enabledProfiles() {
        return String.join(
                ",",
                profiles.enabled().stream()
                        .map(profile -> profile.platform().id())
                        .toList());
    }

    /**
     * Publishes every state of every pod as fast as the pipeline decides them, at most {@code window} runs undecided.
     * The bus keeps one observation per run, the latest, and the window counts runs: a pod's next state comes
     * {@code window} slots later, after at least as many other runs' first states, by when the state before was taken
     * for a decision. Closer (a third of that, as before the bus kept one per run), a full window made the Running and
     * Succeeded states take the place of the Pending one still waiting, and the transitions awaited never came.
     */
    Phase runFlatOut(Workload pods, int window) {
        int[] schedule = pods.schedule(window);
        Counts before = counts();
        long start = System.nanoTime();
        for (int event : schedule) {
            while (bus.undecided() >= window) {
                LockSupport.parkNanos(50_000);
            }
            publish(pods.event(event), System.nanoTime());
        }
        return transitions(before, schedule.length, start, System.nanoTime());
    }

    /**
     * Redelivers the final states of the pods, {@code observations} in all; each is a no-op, decided in full when
     * {@code decide} (see {@link #noops}). A pod comes round again after all the others: with at most half of them
     * undecided, its redelivery before was taken for a decision, not replaced (a replaced one would be published and
     * never decided).
     */
    private Phase republish(Workload pods, int observations, boolean decide) {
        int count = pods.pods();
        int window = Math.max(1, Math.min(config.pipeline().capacity() - 1, count / 2));
        Counts before = counts();
        long start = System.nanoTime();
        for (int i = 0; i < observations; i++) {
            while (bus.undecided() >= window) {
                LockSupport.parkNanos(50_000);
            }
            Pod pod = pods.state(i % count, 2);
            if (decide) {
                known.reconsider(pod.getMetadata().getUid());
            }
            publish(pod, System.nanoTime());
        }
        long published = System.nanoTime();
        long end = awaitDecided(PHASE_TIMEOUT);
        long handled = Math.round(observations() - before.decided() + unchanged() - before.unchanged());
        long superseded = Math.round(superseded() - before.superseded());
        assertEquals(
                observations,
                handled + superseded,
                "every redelivery is decided or left out, or replaced by the next one");
        return before.phase(handled, superseded, start, published, end);
    }

    /** The pipeline's and the JVM's counters when a phase starts. */
    record Counts(long committed, double decided, double unchanged, double superseded, long[] gc, CpuSample cpu) {

        /** The phase that began with these counts, ending now. */
        Phase phase(long items, long superseded, long start, long published, long end) {
            return new Phase(
                    items,
                    superseded,
                    start,
                    published,
                    end,
                    since(gc),
                    CpuSample.now().since(cpu));
        }
    }

    Counts counts() {
        return new Counts(latencyTimer.count(), observations(), unchanged(), superseded(), gc(), CpuSample.now());
    }

    /**
     * Waits until the pipeline decided every state published since {@code before}; each was committed as a transition,
     * or replaced by the pod's next one before it was taken (the bus keeps the latest only): the phase's transitions.
     */
    Phase transitions(Counts before, int published, long start, long publishedAt) {
        long end = awaitDecided(PHASE_TIMEOUT);
        long committed = latencyTimer.count() - before.committed();
        long superseded = Math.round(superseded() - before.superseded());
        assertEquals(
                published,
                committed + superseded,
                "every state is committed as a transition, or replaced by the pod's next one before it was decided");
        return before.phase(committed, superseded, start, publishedAt, end);
    }

    /** Collections and milliseconds spent in them so far, all collectors together (the outbox benchmark reads it too). */
    static long[] gc() {
        long[] total = new long[2];
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            total[0] += Math.max(0, bean.getCollectionCount());
            total[1] += Math.max(0, bean.getCollectionTime());
        }
        return total;
    }

    static long[] since(long[] before) {
        long[] now = gc();
        return new long[] {now[0] - before[0], now[1] - before[1]};
    }

    void publish(Pod pod, long receivedNanos) {
        if (!bus.publish(new Observation.PodSeen(Source.RECONCILE, pod, false, receivedNanos))) {
            throw new IllegalStateException("the bus dropped an observation: the benchmark overfilled it");
        }
    }

    private long awaitDecided(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bus.undecided() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting: " + bus.undecided() + " observations undecided");
            }
            LockSupport.parkNanos(200_000);
        }
        return System.nanoTime();
    }

    /**
     * Adds the recorder to the composite registry the pipeline's timer lives in: the composite then records every
     * value into it as well.
     */
    void attachRecorder(int capacity) {
        latencies = new LatencyRecorder(LATENCY_TIMER, capacity);
        ClientProxy.unwrap(metrics); // the bean is created lazily; creating it registers the timer
        CompositeMeterRegistry composite = registry instanceof CompositeMeterRegistry c ? c : Metrics.globalRegistry;
        assertTrue(
                composite.find(LATENCY_TIMER).timer() != null,
                "the pipeline's latency timer is not in " + composite + ": the benchmark cannot record latencies");
        appRegistry = composite.getRegistries().stream().findFirst().orElse(composite);
        composite.add(latencies);
        latencyTimer = latencies.get(LATENCY_TIMER).timer();
    }

    /** /proc/loadavg: well above 0 at the start means something else was running, and the numbers are not clean. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    double dropped() {
        Counter counter = appRegistry.find("stagewatch.observations.dropped").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Observations decided on (or skipped as invalid), by the application's own count. */
    private double observations() {
        return appRegistry.find("stagewatch.observations").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** Sightings the bus left out: the version last decided on. */
    private double unchanged() {
        return appRegistry.find("stagewatch.observations.unchanged").counter().count();
    }

    /** Observations replaced in the bus by a newer one of the same run before they were taken. */
    private double superseded() {
        return appRegistry.find("stagewatch.observations.superseded").counter().count();
    }

    long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .atMost(Duration.ofMinutes(1))
                .iterator()
                .next()
                .getLong(0);
    }

    String setting(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .atMost(Duration.ofMinutes(1))
                .iterator()
                .next()
                .getString(0);
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /**
     * One measured phase: {@code items} handled (committed, or decided on) from {@code start} to {@code end},
     * publishing until {@code published}; {@code superseded} more were published and replaced before they were decided.
     */
    record Phase(
            long items, long superseded, long start, long published, long end, long[] gc, Map<String, Object> cpu) {

        double seconds() {
            return (end - start) / 1e9;
        }

        double publishingSeconds() {
            return (published - start) / 1e9;
        }

        double ratePerSecond() {
            return items / seconds();
        }

        Map<String, Object> gcReport() {
            return Map.of("collections", gc[0], "ms", gc[1]);
        }
    }
}
