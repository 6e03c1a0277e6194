package io.stagewatch.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.stagewatch.sim.SimulatedCluster.Outcome;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.Ports;
import io.stagewatch.testing.ServiceProcess;
import io.stagewatch.testing.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole service under every fault at once, as it runs in production: two instances of the packaged service, each
 * in a JVM of its own, on one database (one per scenario: the two scenarios run at the same time), watching one simulated cluster that plays every outcome (init-heavy and
 * disrupted pods included), mailing through an SMTP server that is slow, then hangs, then recovers; meanwhile 300 feed
 * clients connect and drop, one instance is stopped mid-backlog and started again, and the database connection is cut
 * and restored. Afterwards every run has the verdict the simulator prescribes, no pod holds the status-capture
 * finalizer, no feed client is left, and the mails are counted by (recipient, Message-ID) against the outbox.
 *
 * <p>With SIGTERM, every mail is accepted exactly once. With SIGKILL the honest promise: nothing is lost, and a mail
 * accepted twice carries the same Message-ID both times and was one of the sends in flight when the instance died.
 *
 * <p>Run by {@code make test} (Failsafe, after {@code package}); alone with
 * {@code mvn verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultSuiteIT}. The instances' logs are
 * in {@code target/faults/}.
 */
@Tag("faults")
@Execution(ExecutionMode.CONCURRENT)
class FaultSuiteIT {

    private static final Path DIR = Path.of("target/faults");
    private static final String FINALIZER = "stagewatch.io/status-capture";
    private static final String RECIPIENTS = "dev@example.org,ops@example.org";
    private static final int RUNS = 60;
    private static final int FEED_CLIENTS = 300;
    private static final int CONCURRENCY = 4;
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofMinutes(4);
    /** Held so that the level sticks: the mock web server logs every request at INFO. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final List<AutoCloseable> resources = new ArrayList<>();
    /** The scenario's own database: the two scenarios run at once (failsafe's JUnit configuration). */
    private String database;

    private String scenario;
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void sigtermMidBacklogLosesNothingAndDuplicatesNothing() throws Exception {
        Report report = play("sigterm", false);
        assertEquals(0, report.duplicates, "mails accepted more than once: " + report.duplicated);
    }

    @Test
    void sigkillMidBacklogLosesNothingAndDuplicatesOnlyWhatWasInFlight() throws Exception {
        Report report = play("sigkill", true);
        // the killed instance had at most CONCURRENCY sends in flight; only those can be accepted twice
        assertTrue(
                report.duplicates <= CONCURRENCY,
                report.duplicates + " mails accepted twice, more than the " + CONCURRENCY + " sends in flight: "
                        + report.duplicated);
    }

    private record Report(int duplicates, Map<String, Integer> duplicated) {}

    private Report play(String name, boolean kill) throws Exception {
        MOCK_LOG.setLevel(Level.WARNING);
        scenario = name;
        database = "stagewatch_faults_" + name;
        recreateDatabase();
        Files.createDirectories(DIR);

        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        resources.add(server::destroy);
        KubernetesClient client = server.createClient();
        resources.add(client);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(SimulatedCluster.NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
        int smtpPort = Ports.free();
        MailSink sink = MailSink.on(smtpPort)
                .discarding()
                .onDelivery(mail -> accepted.computeIfAbsent(
                                mail.recipient() + " " + mail.messageId(), k -> new AtomicInteger())
                        .incrementAndGet())
                .start();
        resources.add(sink);
        // slow: each SMTP response a tenth of a second late, about a second per mail on a new connection
        TcpProxy smtp = new TcpProxy(0, smtpPort, Duration.ofMillis(100));
        resources.add(smtp);
        TcpProxy proxy = new TcpProxy(5432);
        resources.add(proxy);

        Map<String, String> config = Map.ofEntries(
                Map.entry("quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:" + server.getPort()),
                Map.entry(
                        "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database),
                Map.entry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/" + database),
                // four instances at once (two scenarios of two) stay well inside PostgreSQL's 100 connections
                Map.entry("quarkus.datasource.reactive.max-size", "8"),
                Map.entry("quarkus.mailer.host", "127.0.0.1"),
                Map.entry("quarkus.mailer.port", Integer.toString(smtp.port())),
                Map.entry("quarkus.mailer.start-tls", "DISABLED"),
                Map.entry("quarkus.mailer.tls", "false"),
                Map.entry("stagewatch.reconcile.interval", "3s"),
                Map.entry("stagewatch.outbox.lease", "12s"),
                Map.entry("stagewatch.outbox.send-timeout", "4s"),
                Map.entry("stagewatch.outbox.concurrency", Integer.toString(CONCURRENCY)),
                Map.entry("stagewatch.outbox.max-attempts", "100"),
                Map.entry("stagewatch.outbox.poll-interval", "1s"),
                Map.entry("stagewatch.outbox.backoff.initial", "200ms"),
                Map.entry("stagewatch.outbox.backoff.max", "2s"));
        ExecutorService background = Executors.newFixedThreadPool(16);
        resources.add(background::shutdownNow);
        Future<ServiceProcess> startingB = background.submit(() -> service("b", config, name));
        ServiceProcess a = service("a", config, name);
        ServiceProcess b = startingB.get();

        // the runs: every outcome in turn, a quarter of a second apart, each played at a fifth of the demo's pace
        SimulatedCluster cluster = new SimulatedCluster(client, null, 0.2, RECIPIENTS);
        Map<String, Outcome> expected = new ConcurrentHashMap<>();
        List<Future<?>> played = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            Outcome outcome = Outcome.values()[i % Outcome.values().length];
            played.add(background.submit(() -> {
                Pod pod = cluster.play(outcome);
                expected.put(pod.getMetadata().getUid(), outcome);
                return null;
            }));
            if (i == 10) {
                ServiceProcess[] both = {a, b};
                played.add(background.submit(() -> connectAndDrop(both)));
            }
            Thread.sleep(250);
        }

        // the faults, one after the other, while runs are played and mails queue up
        sleepUntil(start, 12);
        smtp.hang();
        log("SMTP hangs");
        sleepUntil(start, 20);
        smtp.restore();
        log("SMTP answers again, slowly");
        sleepUntil(start, 22);
        int backlog = query(
                        "SELECT 'pending', count(*)::int FROM outbox WHERE status = 'PENDING'", row -> row.getInt(2))
                .get("pending");
        assertTrue(backlog > 0, "a backlog of mails when the instance stops");
        log(backlog + " mails waiting");
        if (kill) {
            a.kill();
            log("instance a killed (SIGKILL)");
        } else {
            log("instance a stopped (SIGTERM), exit code " + a.stop(Duration.ofSeconds(60)));
        }
        a = service("a", config, name);
        log("instance a started again");
        proxy.cut();
        log("database connections cut");
        Thread.sleep(4000);
        proxy.restore();
        log("database connections restored");
        for (Future<?> run : played) {
            run.get(3, TimeUnit.MINUTES);
        }
        log(expected.size() + " runs played");

        ServiceProcess[] instances = {a, b};
        try {
            await().atMost(SETTLE)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> unsettled(expected).isEmpty());
        } catch (ConditionTimeoutException e) {
            fail("not settled after " + SETTLE + ": " + unsettled(expected), e);
        }

        // every run has its verdict
        Map<String, String> verdicts = query(
                "SELECT uid, status, cause, reason FROM runs",
                row -> Outcome.verdict(row.getString(2), row.getString(3), row.getString(4)));
        Map<String, String> wrong = new TreeMap<>();
        expected.forEach((uid, outcome) -> {
            if (!outcome.verdict().equals(verdicts.get(uid))) {
                wrong.put(outcome + " " + uid, String.valueOf(verdicts.get(uid)));
            }
        });
        assertEquals(Map.of(), wrong, "runs whose verdict is not the simulator's");

        // no pod is held by stagewatch's finalizer
        List<String> held = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getMetadata().getFinalizers() != null
                        && p.getMetadata().getFinalizers().contains(FINALIZER))
                .map(p -> p.getMetadata().getName())
                .toList();
        assertEquals(List.of(), held, "pods still holding " + FINALIZER);

        // no feed client is left
        for (ServiceProcess instance : instances) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> instance.metric("stagewatch_feed_clients").orElse(-1) == 0);
        }

        // every queued mail was accepted, under its row's Message-ID, and nothing else was
        Map<String, Integer> attempts = query(
                "SELECT recipient || ' ' || message_id, attempts FROM outbox " + "WHERE status = 'SENT'",
                row -> row.getInt(2));
        assertEquals(attempts.keySet(), accepted.keySet(), "mails accepted (recipient Message-ID) against the outbox");
        Map<String, Integer> duplicated = accepted.entrySet().stream()
                .filter(e -> e.getValue().get() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(), (x, y) -> x, TreeMap::new));
        int duplicates = duplicated.values().stream().mapToInt(n -> n - 1).sum();

        Map<Outcome, Long> byOutcome = expected.values().stream()
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        log(String.format(
                "%d runs %s, all with the expected verdict; %d mails queued and accepted, %d retried,"
                        + " %d accepted twice; %d feed clients connected and dropped; no finalizer held; %.0f s",
                expected.size(),
                byOutcome,
                attempts.size(),
                attempts.values().stream().filter(n -> n > 1).count(),
                duplicates,
                FEED_CLIENTS,
                (System.nanoTime() - start) / 1e9));
        return new Report(duplicates, duplicated);
    }

    private ServiceProcess service(String instance, Map<String, String> config, String scenario) {
        ServiceProcess service =
                ServiceProcess.start(instance, config, DIR.resolve(scenario + "-" + instance + ".log"), READY);
        resources.add(service);
        return service;
    }

    /** The runs not terminal yet and the outbox rows still to be sent, by status; empty once everything settled. */
    private String unsettled(Map<String, Outcome> expected) throws SQLException {
        Map<String, String> statuses = query("SELECT uid, status FROM runs", row -> row.getString(2));
        Map<String, String> open = new TreeMap<>();
        expected.forEach((uid, outcome) -> {
            String status = statuses.get(uid);
            if (!"SUCCEEDED".equals(status) && !"FAILED".equals(status)) {
                open.put(outcome + " " + uid, String.valueOf(status));
            }
        });
        Map<String, Integer> outbox = query(
                "SELECT status, count(*)::int FROM outbox WHERE status <> 'SENT' " + "GROUP BY status",
                row -> row.getInt(2));
        return open.isEmpty() && outbox.isEmpty() ? "" : "runs " + open + ", outbox " + outbox;
    }

    /** Feed clients that connect, read the response's head, and hang up: half on each instance, eight at a time. */
    private Void connectAndDrop(ServiceProcess[] instances) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> opened = new ArrayList<>();
            for (int i = 0; i < FEED_CLIENTS; i++) {
                ServiceProcess instance = instances[i % instances.length];
                opened.add(clients.submit(() -> openFeed(instance.port())));
            }
            int ok = 0;
            for (Future<Boolean> f : opened) {
                ok += f.get() ? 1 : 0;
            }
            log(ok + " of " + FEED_CLIENTS + " feed clients got their stream before they dropped it");
            return null;
        } finally {
            clients.shutdown();
        }
    }

    private static boolean openFeed(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /api/feed HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Accept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, head.length);
            return n == head.length && new String(head, StandardCharsets.US_ASCII).endsWith("200");
        } catch (IOException e) {
            return false;
        }
    }

    private void recreateDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    private interface Column<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** The rows of {@code sql} as a map from the first column to {@code value}. */
    private <T> Map<String, T> query(String sql, Column<T> value) throws SQLException {
        Map<String, T> rows = new HashMap<>();
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.put(r.getString(1), value.read(r));
            }
        }
        return rows;
    }

    private static void sleepUntil(long start, int seconds) throws InterruptedException {
        long left = start + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private void log(String line) {
        System.out.println(SimulatedCluster.timestamp() + " faults " + scenario + ": " + line);
    }
}
