package io.stagewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.delivery.OutboxProcessor;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import io.stagewatch.testing.TcpProxy;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: the notification outbox on the real PostgreSQL and a real SMTP server (GreenMail, in this JVM,
 * on {@link BenchProfile#smtpPort()}), sent by the application's own {@link OutboxProcessor} with the mailer of the
 * bench profile (not mocked). Writes {@code target/bench/outbox.json}. Like the ingest benchmark it asserts only that
 * the work was done (every row SENT, every mail accepted once by the SMTP server, none retried or dead); the numbers
 * are compared with their targets in the report, never asserted.
 *
 * <p>
 * Phases, in order:
 * <ol>
 * <li>warm-up (JIT, templates, SMTP and database connections): a burst of {@code bench.outbox.warmup.mails} rows and
 * {@code bench.outbox.paced.warmup.seconds} of the paced load, not reported;</li>
 * <li>throughput: {@code bench.outbox.mails} rows (default 5,000) queued by one transition committed in one
 * statement (a finished run with that many notify recipients, written by {@link RunRepository#insert}, the
 * application's own statement), so all are due at once; its NOTIFY wakes the processor, which drains them batch after
 * batch. Rate = mails / (commit to the last row marked SENT);</li>
 * <li>paced: {@code bench.outbox.paced.rate} transitions/s (default 100) for {@code bench.outbox.paced.seconds}
 * (default 20): synthetic pods, each first seen Succeeded with one notify recipient, published on the
 * {@link ObservationBus} as the informer would; each transition queues one mail. Latency is from the transition's
 * commit to the SMTP server's acceptance.</li>
 * </ol>
 * Latency is measured twice: (1) every value of the application's own timer {@value #LATENCY_TIMER} (the row's
 * {@code created_at}, i.e. the transition's commit, to the row marked SENT after the SMTP server accepted the mail),
 * captured value by value by a {@link LatencyRecorder}; (2) independently, the SMTP server's acceptance time of each
 * Message-ID minus the row's {@code created_at}. The outbox's polling backstop is off (the bench profile disables the
 * scheduler): every mail is sent because of a NOTIFY.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(BenchProfile.class)
@Tag("bench")
class OutboxBenchmark {

    private static final Logger LOG = Logger.getLogger(OutboxBenchmark.class);
    private static final String LATENCY_TIMER = "stagewatch.notifications.latency";
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

    private static final double TARGET_MAILS_PER_SECOND = 500;
    private static final int TARGET_PACED_RATE = 100;
    private static final double TARGET_PACED_P99_MS = 250;

    private static final String DOMAIN = "@bench.example.org";

    private static MailSink smtp;
    /** Only for {@code -Dbench.smtp.rtt.ms}: each SMTP response delayed, as with a remote relay. */
    private static TcpProxy delay;

    @Inject
    ObservationBus bus;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Inject
    RunRepository runs;

    @Inject
    OutboxProcessor processor;

    @Inject
    StagewatchConfig config;

    private LatencyRecorder latencies;
    private Timer latencyTimer;
    private CompositeMeterRegistry composite;
    private MeterRegistry appRegistry;

    @BeforeAll
    static void startSmtp() {
        long rtt = BenchProfile.smtpRoundTripMillis();
        smtp = MailSink.on(rtt > 0 ? BenchProfile.smtpPort() + 1 : BenchProfile.smtpPort())
                .discarding()
                .start();
        if (rtt > 0) {
            delay = new TcpProxy(BenchProfile.smtpPort(), BenchProfile.smtpPort() + 1, Duration.ofMillis(rtt));
        }
    }

    @AfterAll
    static void stopSmtp() throws IOException {
        if (delay != null) {
            delay.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void outbox() throws Exception {
        int mails = Integer.getInteger("bench.outbox.mails", 5_000);
        int warmupMails = Integer.getInteger("bench.outbox.warmup.mails", 2_000);
        int rate = Integer.getInteger("bench.outbox.paced.rate", TARGET_PACED_RATE);
        int seconds = Integer.getInteger("bench.outbox.paced.seconds", 20);
        int warmupSeconds = Integer.getInteger("bench.outbox.paced.warmup.seconds", 3);
        String loadAtStart = BusBenchmark.loadAverage();

        Pod[] warmupPods = pods("outbox-paced-warmup", rate * warmupSeconds, "paced-warmup" + DOMAIN);
        Pod[] pacedPods = pods("outbox-paced", rate * seconds, "paced" + DOMAIN);
        attachRecorder(warmupMails + mails + warmupPods.length + pacedPods.length + 1_000);
        try {
            double retriesBefore = notifications("retry");
            double deadBefore = notifications("dead");

            // 1. warm-up
            LOG.infof(
                    "bench: outbox warm-up, a burst of %d mails, then %d s at %d/s", warmupMails, warmupSeconds, rate);
            burst("outbox-warmup", warmupMails);
            paced(warmupPods, rate);
            System.gc();

            // 2. throughput
            LOG.infof("bench: outbox throughput, %d queued mails", mails);
            Burst burst = burst("outbox-burst", mails);

            // 3. paced
            LOG.infof("bench: outbox paced, %d transitions/s for %d s, one mail each", rate, seconds);
            System.gc();
            Paced paced = paced(pacedPods, rate);
            assertEquals(retriesBefore, notifications("retry"), "no mail was retried");
            assertEquals(deadBefore, notifications("dead"), "no mail is dead");

            Map<String, Object> report = report(burst, paced, rate);
            @SuppressWarnings("unchecked")
            Map<String, Object> machine = (Map<String, Object>) report.get("machine");
            machine.put("load_average_at_start", loadAtStart);
            machine.put("load_average_at_end", BusBenchmark.loadAverage());
            Path dir = Path.of("target", "bench");
            Files.createDirectories(dir);
            Path json = dir.resolve("outbox.json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            LOG.infof("bench: wrote %s", json.toAbsolutePath());
        } finally {
            composite.remove(latencies);
        }
    }

    /**
     * Queues {@code mails} rows at once (one finished run with that many recipients, one statement, one commit, one
     * NOTIFY) and waits until the processor has sent every one.
     */
    private Burst burst(String prefix, int mails) {
        String uid = UUID.randomUUID().toString();
        List<String> recipients = IntStream.range(0, mails)
                .mapToObj(i -> prefix + "-" + i + DOMAIN)
                .toList();
        RunAttributes run = Runs.attributes(uid, "bench", prefix, prefix, "bench", Platform.STAGEWATCH, recipients);
        long sentBefore = latencyTimer.count();
        int mark = latencies.mark();
        long[] gc = BusBenchmark.gc();
        CpuSample cpu = CpuSample.now();
        long smtpCpu = smtpServerCpuNanos();
        long start = System.nanoTime();
        var committed = runs.insert(
                        run,
                        null,
                        new Verdict(RunStatus.SUCCEEDED, null, null, null, null),
                        Source.RECONCILE,
                        Instant.now())
                .await()
                .atMost(Duration.ofMinutes(1));
        long commit = System.nanoTime();
        assertTrue(committed != null, "the burst's run was recorded");
        long end = awaitSent(sentBefore + mails);
        long lastAccepted = smtp.lastNanos();
        Map<String, Object> cpuUsed = withSmtpServer(CpuSample.now().since(cpu), smtpCpu, end - start);
        long[] gcUsed = BusBenchmark.since(gc);
        long[] sorted = latencies.sorted(mark, latencies.mark());

        List<Row> rows = rows("SELECT message_id, created_at, status FROM outbox WHERE run_uid = $1", uid);
        assertEquals(mails, rows.size(), "one row per recipient");
        assertEquals(
                mails,
                rows.stream().filter(r -> "SENT".equals(r.getString("status"))).count(),
                "every row SENT");
        assertEquals(
                mails,
                rows.stream()
                        .filter(r -> smtp.acceptedAt(r.getString("message_id")) != null)
                        .count(),
                "the SMTP server accepted every mail");
        return new Burst(mails, start, commit, end, lastAccepted, sorted, gcUsed, cpuUsed);
    }

    /**
     * Publishes one pod every {@code 1/rate} s, each first seen Succeeded with one notify recipient: one transition,
     * one mail. Waits until every mail was sent.
     */
    private Paced paced(Pod[] pods, int rate) {
        long sentBefore = latencyTimer.count();
        int mark = latencies.mark();
        long interval = 1_000_000_000L / rate;
        long[] gc = BusBenchmark.gc();
        CpuSample cpu = CpuSample.now();
        long smtpCpu = smtpServerCpuNanos();
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < pods.length; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!bus.publish(new Observation.PodSeen(Source.WATCH, pods[i], false, due))) {
                throw new IllegalStateException("the bus dropped an observation");
            }
        }
        long published = System.nanoTime();
        long end = awaitSent(sentBefore + pods.length);
        Map<String, Object> cpuUsed = withSmtpServer(CpuSample.now().since(cpu), smtpCpu, end - start);
        long[] gcUsed = BusBenchmark.since(gc);
        int to = latencies.mark();
        long[] sorted = latencies.sorted(mark, to);
        List<Map<String, Object>> bySecond = latencies.byCommitTime(mark, to, start, 1_000_000_000L);

        String recipient = pods[0].getMetadata().getAnnotations().get("stagewatch.io/notify");
        List<Row> rows = rows("SELECT message_id, created_at, status FROM outbox WHERE recipient = $1", recipient);
        assertEquals(pods.length, rows.size(), "one row per transition");
        assertEquals(
                pods.length,
                rows.stream().filter(r -> "SENT".equals(r.getString("status"))).count(),
                "every row SENT");
        long[] smtpLatencies = new long[rows.size()];
        int accepted = 0;
        for (Row row : rows) {
            Instant at = smtp.acceptedAt(row.getString("message_id"));
            if (at != null) {
                smtpLatencies[accepted++] = Duration.between(
                                row.getOffsetDateTime("created_at").toInstant(), at)
                        .toNanos();
            }
        }
        assertEquals(pods.length, accepted, "the SMTP server accepted every mail");
        Arrays.sort(smtpLatencies);
        return new Paced(pods.length, start, published, end, sorted, smtpLatencies, bySecond, gcUsed, cpuUsed);
    }

    /** Waits until the processor has recorded {@code target} sends in all; returns when, in nanos. */
    private long awaitSent(long target) {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (latencyTimer.count() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "gave up waiting: " + latencyTimer.count() + " of " + target + " mails sent");
            }
            LockSupport.parkNanos(200_000);
        }
        return System.nanoTime();
    }

    /**
     * CPU time of the SMTP server's connection threads (GreenMail names them {@code smtp:...}) still alive: the SMTP
     * server runs in this JVM, so {@code jvm_cores} includes it. Threads of closed connections are not counted, so
     * this is a lower bound (the mailer keeps its connections open between mails).
     */
    private static long smtpServerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("smtp:")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static Map<String, Object> withSmtpServer(Map<String, Object> cpu, long smtpCpuBefore, long elapsedNanos) {
        Map<String, Object> out = new LinkedHashMap<>(cpu);
        double smtpCores = (smtpServerCpuNanos() - smtpCpuBefore) / (double) elapsedNanos;
        out.put("smtp_server_cores_at_least", Math.round(smtpCores * 100) / 100.0);
        return out;
    }

    /** Pods first seen Succeeded, each with its own UID and the notify annotation {@code recipient}. */
    private static Pod[] pods(String prefix, int count, String recipient) {
        String created = Instant.now().toString();
        Pod[] pods = new Pod[count];
        for (int i = 0; i < count; i++) {
            pods[i] = Pods.workflow("bench", prefix + "-" + i, "ci")
                    .pipeline("bench")
                    .notify(recipient)
                    .succeeded()
                    .with(pod -> pod.editMetadata()
                            .withCreationTimestamp(created)
                            .withResourceVersion("1")
                            .endMetadata())
                    .build();
        }
        return pods;
    }

    /** Adds the recorder to the composite registry the processor's timer lives in (see IngestBenchmark). */
    private void attachRecorder(int capacity) {
        latencies = new LatencyRecorder(LATENCY_TIMER, capacity);
        ClientProxy.unwrap(processor); // the bean is created lazily; creating it registers the timer
        composite = registry instanceof CompositeMeterRegistry c ? c : Metrics.globalRegistry;
        assertTrue(
                composite.find(LATENCY_TIMER).timer() != null,
                "the processor's latency timer is not in " + composite + ": the benchmark cannot record latencies");
        appRegistry = composite.getRegistries().stream().findFirst().orElse(composite);
        composite.add(latencies);
        latencyTimer = latencies.get(LATENCY_TIMER).tag("channel", "email").timer();
    }

    private double notifications(String result) {
        return appRegistry.find("stagewatch.notifications").tag("result", result).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private List<Row> rows(String sql, Object... values) {
        List<Row> list = new ArrayList<>();
        pool.preparedQuery(sql)
                .execute(Tuple.from(Arrays.asList(values)))
                .await()
                .atMost(Duration.ofMinutes(1))
                .forEach(list::add);
        return list;
    }

    private String setting(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .atMost(Duration.ofMinutes(1))
                .iterator()
                .next()
                .getString(0);
    }

    private Map<String, Object> report(Burst burst, Paced paced, int rate) {
        double mailsPerSecond = burst.mails() / burst.seconds();
        double p99 = LatencyRecorder.percentileMillis(paced.latencies(), 0.99);
        double smtpP99 = LatencyRecorder.percentileMillis(paced.smtpLatencies(), 0.99);
        double achieved = paced.transitions() / paced.publishingSeconds();
        boolean atRate = rate >= TARGET_PACED_RATE && achieved >= 0.98 * rate;

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "outbox");
        report.put("at", Instant.now().toString());
        report.put("mails_per_second", round(mailsPerSecond));

        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("mails", burst.mails());
        throughput.put("seconds", round3(burst.seconds()));
        throughput.put("smtp_accepted_per_second", round(burst.mails() / burst.secondsToLastAcceptance()));
        throughput.put("queue_commit_ms", round3((burst.commit() - burst.start()) / 1e6));
        throughput.put(
                "latency_ms",
                LatencyRecorder.report(
                        burst.latencies(),
                        "commit of the one transition that queued all rows to each row marked SENT: mostly queueing"));
        throughput.put("gc", Map.of("collections", burst.gc()[0], "ms", burst.gc()[1]));
        throughput.put("cpu", burst.cpu());
        throughput.put(
                "what",
                "rows queued at once by one transition (a finished run with " + burst.mails()
                        + " notify recipients, RunRepository.insert), woken by its NOTIFY, drained by the application's"
                        + " OutboxProcessor; seconds = commit to the last row marked SENT");
        report.put("throughput", throughput);

        Map<String, Object> steady = new LinkedHashMap<>();
        steady.put("target_rate", rate);
        steady.put("achieved_rate", round(achieved));
        steady.put("transitions", paced.transitions());
        steady.put("mails", paced.transitions());
        steady.put("seconds", round3(paced.seconds()));
        steady.put(
                "latency_ms",
                LatencyRecorder.report(
                        paced.latencies(),
                        "every value of " + LATENCY_TIMER
                                + ": the row's created_at (the transition's commit) to the row marked SENT after SMTP acceptance"));
        steady.put(
                "smtp_acceptance_latency_ms",
                LatencyRecorder.report(
                        paced.smtpLatencies(),
                        "the SMTP server's acceptance of the Message-ID minus the row's created_at (same clock)"));
        steady.put(
                "over_target_ms",
                Arrays.stream(paced.latencies())
                        .filter(n -> n > TARGET_PACED_P99_MS * 1e6)
                        .count());
        steady.put("gc", Map.of("collections", paced.gc()[0], "ms", paced.gc()[1]));
        steady.put("cpu", paced.cpu());
        steady.put("by_second_of_send", paced.bySecond());
        report.put("paced_" + rate + "_per_second", steady);

        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("mails_per_second_min", TARGET_MAILS_PER_SECOND);
        targets.put("paced_rate_per_second", TARGET_PACED_RATE);
        targets.put("paced_p99_ms_max", TARGET_PACED_P99_MS);
        report.put("targets", targets);
        Map<String, Object> met = new LinkedHashMap<>();
        met.put("mails_per_second", mailsPerSecond >= TARGET_MAILS_PER_SECOND);
        met.put("paced_p99", atRate && p99 <= TARGET_PACED_P99_MS && smtpP99 <= TARGET_PACED_P99_MS);
        met.put("all", met.values().stream().allMatch(Boolean.TRUE::equals));
        report.put("met", met);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("stagewatch.outbox.batch-size", config.outbox().batchSize());
        settings.put("stagewatch.outbox.concurrency", config.outbox().concurrency());
        settings.put("stagewatch.outbox.lease", config.outbox().lease().toString());
        settings.put(
                "stagewatch.outbox.poll-interval",
                config.outbox().pollInterval().toString()
                        + " (not running: the bench profile disables the scheduler, so only NOTIFY wakes the processor)");
        for (String key : List.of(
                "quarkus.mailer.max-pool-size",
                "quarkus.mailer.keep-alive",
                "quarkus.mailer.pipelining",
                "quarkus.mailer.mock",
                "quarkus.mailer.host",
                "quarkus.mailer.port",
                "quarkus.datasource.reactive.max-size")) {
            settings.put(
                    key,
                    ConfigProvider.getConfig()
                            .getOptionalValue(key, String.class)
                            .orElse("default"));
        }
        settings.put(
                "set_by",
                "BenchProfile.OUTBOX_SETTINGS (override with -Dbench.<key>=value); application defaults:"
                        + " batch-size 50, concurrency 8, quarkus.mailer.max-pool-size 10");
        report.put("settings", settings);

        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("postgresql", setting("SELECT version()"));
        machine.put("synchronous_commit", setting("SHOW synchronous_commit"));
        machine.put("database", BenchProfile.database());
        machine.put(
                "smtp_server",
                "GreenMail 2.1.3 in the benchmark's JVM, 127.0.0.1:" + BenchProfile.smtpPort()
                        + " (shares the JVM and the CPU with the application); it parses every mail and stores none");
        machine.put(
                "smtp_round_trip_ms",
                BenchProfile.smtpRoundTripMillis() > 0
                        ? BenchProfile.smtpRoundTripMillis()
                                + " (each SMTP response delayed by a proxy, to play a remote relay)"
                        : "0 (loopback)");
        report.put("machine", machine);
        return report;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The throughput phase: queued at {@code start}, committed at {@code commit}, all SENT at {@code end}. */
    private record Burst(
            int mails,
            long start,
            long commit,
            long end,
            long lastAccepted,
            long[] latencies,
            long[] gc,
            Map<String, Object> cpu) {

        double seconds() {
            return (end - commit) / 1e9;
        }

        double secondsToLastAcceptance() {
            return (lastAccepted - commit) / 1e9;
        }
    }

    /** The paced phase. */
    private record Paced(
            int transitions,
            long start,
            long published,
            long end,
            long[] latencies,
            long[] smtpLatencies,
            List<Map<String, Object>> bySecond,
            long[] gc,
            Map<String, Object> cpu) {

        double seconds() {
            return (end - start) / 1e9;
        }

        double publishingSeconds() {
            return (published - start) / 1e9;
        }
    }
}
