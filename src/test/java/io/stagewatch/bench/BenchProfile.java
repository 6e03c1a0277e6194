package io.stagewatch.bench;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application as the benchmarks run it: its own database (so a concurrent {@code make test}, which cleans
 * database {@code test} at start, cannot disturb it) and no scheduled reconcile pass. The reconcile loop would LIST
 * the empty mock API server, fail every unfinished synthetic run as POD_VANISHED and empty the pipeline's cache of
 * known runs every two seconds: neither is part of what is measured. With the scheduler off, the outbox's polling
 * backstop is off as well: the outbox benchmark measures the NOTIFY wake-up alone.
 *
 * <p>
 * Mail goes to the outbox benchmark's own SMTP server (GreenMail in the benchmark's JVM on {@link #smtpPort()}, never
 * the tests' 3025), never to the mock mailer. The outbox and mailer settings that decide its throughput are set here,
 * each overridable with a system property, and reported in {@code outbox.json}: see {@link #OUTBOX_SETTINGS}.
 */
public class BenchProfile implements QuarkusTestProfile {

    /** The database the benchmark uses; {@code -Dbench.db=...} overrides it. It must exist (make bench creates it). */
    static String database() {
        return System.getProperty("bench.db", "stagewatch_bench");
    }

    /**
     * The settings that decide how fast the outbox drains, with the values the benchmark runs with; each is
     * overridable with {@code -Dbench.<key>=value} (e.g. {@code -Dbench.stagewatch.outbox.concurrency=8}).
     * The application's defaults are batch-size 50, concurrency 8, max-pool-size 10 (keep-alive and pipelining on).
     * Against the loopback SMTP server the drain is CPU-bound and both give the same rate; against a server a few
     * milliseconds away ({@code -Dbench.smtp.rtt.ms=10}) each mail takes several round trips, the rate is
     * concurrency / time per mail, and 8 in flight cap it near 120 mails/s. Hence 32 mails in flight, as many pooled
     * SMTP connections (fewer would make sends queue for a connection), and batches of 200 so that the wait for the
     * slowest mail of a batch before the next claim leaves few of them idle.
     */
    static final Map<String, String> OUTBOX_SETTINGS = outboxSettings();

    private static Map<String, String> outboxSettings() {
        Map<String, String> used = new LinkedHashMap<>();
        used.put("stagewatch.outbox.batch-size", "200");
        used.put("stagewatch.outbox.concurrency", "32");
        used.put("quarkus.mailer.max-pool-size", "32");
        used.put("quarkus.mailer.keep-alive", "true");
        used.put("quarkus.mailer.pipelining", "true");
        Map<String, String> settings = new LinkedHashMap<>();
        used.forEach((key, value) -> settings.put(key, System.getProperty("bench." + key, value)));
        return settings;
    }

    /** The port of the outbox benchmark's SMTP server; {@code -Dbench.smtp.port=...} overrides it. Never 3025. */
    static int smtpPort() {
        return Integer.getInteger("bench.smtp.port", 3125);
    }

    /**
     * {@code -Dbench.smtp.rtt.ms=...}: when above 0, the mailer reaches the SMTP server through a proxy on
     * {@link #smtpPort()} that delays each response that long, to play a remote relay (the server then listens on
     * the next port). 0, the default: loopback, no proxy.
     */
    static long smtpRoundTripMillis() {
        return Long.getLong("bench.smtp.rtt.ms", 0);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        String db = database();
        String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + db;
        String reactive = "postgresql://127.0.0.1:5432/" + db;
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("quarkus.datasource.jdbc.url", jdbc);
        overrides.put("%test.quarkus.datasource.jdbc.url", jdbc);
        overrides.put("quarkus.datasource.reactive.url", reactive);
        overrides.put("%test.quarkus.datasource.reactive.url", reactive);
        overrides.put("quarkus.scheduler.enabled", "false");
        // the outbox benchmark's SMTP server, never the mock mailer
        String port = Integer.toString(smtpPort());
        overrides.put("quarkus.mailer.mock", "false");
        overrides.put("%test.quarkus.mailer.mock", "false");
        overrides.put("quarkus.mailer.host", "127.0.0.1");
        overrides.put("%test.quarkus.mailer.host", "127.0.0.1");
        overrides.put("quarkus.mailer.port", port);
        overrides.put("%test.quarkus.mailer.port", port);
        overrides.put("quarkus.mailer.start-tls", "DISABLED");
        overrides.put("quarkus.mailer.tls", "false");
        // the webhook benchmark's receiver listens on loopback
        overrides.put("stagewatch.notify.webhook.allowed-hosts", "127.0.0.1");
        OUTBOX_SETTINGS.forEach((key, value) -> {
            overrides.put(key, value);
            overrides.put("%test." + key, value);
        });
        return overrides;
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
