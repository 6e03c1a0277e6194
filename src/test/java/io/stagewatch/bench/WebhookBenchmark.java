package io.stagewatch.bench;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import io.stagewatch.testing.WebhookReceiver;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: signed JSON webhooks to a real HTTP receiver on loopback ({@link WebhookReceiver}, in this JVM),
 * sent by the application's own outbox processor. Writes {@code target/bench/webhooks.json}: deliveries per second
 * from a backlog ({@code bench.webhook.runs} transitions committed at once, default 2,000, one webhook row each; timed
 * from the start of their commits to the receipt of the last), and
 * the latency from the transition's commit (the row's {@code created_at}) to the receiver's receipt of the request at
 * {@code bench.webhook.paced.rate} transitions/s (default 100) for {@code bench.webhook.paced.seconds} (default 20),
 * published on the {@link ObservationBus} as the informer would. Asserts only that the work was done (one request per
 * row, every row SENT); the figures are reported with their target, never asserted.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(BenchProfile.class)
@Tag("bench")
class WebhookBenchmark {

    private static final Logger LOG = Logger.getLogger(WebhookBenchmark.class);
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);
    private static final double TARGET_P99_MS = 250;
    private static final String PATH = "/bench";

    private static WebhookReceiver receiver;

    @Inject
    ObservationBus bus;

    @Inject
    RunRepository runs;

    @Inject
    Pool pool;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.create().start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void webhooks() throws Exception {
        int burst = Integer.getInteger("bench.webhook.runs", 2_000);
        int rate = Integer.getInteger("bench.webhook.paced.rate", 100);
        int seconds = Integer.getInteger("bench.webhook.paced.seconds", 20);
        String pipeline = "webhook-bench-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "bench",
                        "pipeline",
                        pipeline,
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("SUCCEEDED"),
                        "webhooks",
                        List.of(Map.of("url", receiver.url(PATH), "kind", "json", "secret", "bench-secret"))))
                .post("/api/notification-rules")
                .then()
                .statusCode(201);

        LOG.infof("bench: webhook warm-up, 3 s at %d/s", rate);
        paced(pipeline, "warmup", rate * 3, rate);

        LOG.infof("bench: webhook throughput, %d transitions committed at once", burst);
        int before = receiver.requests(PATH).size();
        long start = System.nanoTime();
        Uni.join()
                .all(IntStream.range(0, burst)
                        .mapToObj(i -> runs.insert(
                                Runs.attributes(
                                        UUID.randomUUID().toString(),
                                        "bench",
                                        "burst-" + i,
                                        "burst-" + i,
                                        pipeline,
                                        Platform.STAGEWATCH,
                                        List.of()),
                                null,
                                new Verdict(RunStatus.SUCCEEDED, null, null, null, null),
                                Source.RECONCILE,
                                Instant.now()))
                        .toList())
                .andFailFast()
                .await()
                .atMost(Duration.ofMinutes(2));
        awaitRequests(before + burst);
        double seconds0 = (System.nanoTime() - start) / 1e9;
        double perSecond = burst / seconds0;

        LOG.infof("bench: webhook paced, %d transitions/s for %d s", rate, seconds);
        long[] latencies = paced(pipeline, "paced", rate * seconds, rate);

        // a request received is marked SENT a moment later
        await().atMost(Duration.ofSeconds(30))
                .until(() -> rows("SELECT count(*) AS pending FROM outbox "
                                        + "WHERE channel = 'webhook' AND status <> 'SENT'")
                                .get(0)
                                .getLong("pending")
                        == 0);
        long queued = rows("SELECT count(*) AS n FROM outbox WHERE channel = 'webhook'")
                .get(0)
                .getLong("n");
        assertEquals(queued, receiver.requests(PATH).size(), "one request per row");

        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("transitions", burst);
        throughput.put("seconds", Math.round(seconds0 * 1000) / 1000.0);
        throughput.put("deliveries_per_second", Math.round(perSecond));
        throughput.put(
                "what",
                "from the start of committing a burst of transitions, each queueing one signed JSON webhook, "
                        + "to the receiver's receipt of the last");
        report.put("throughput", throughput);
        Map<String, Object> paced = new LinkedHashMap<>();
        paced.put("rate_per_second", rate);
        paced.put("seconds", seconds);
        paced.put(
                "latency_ms",
                LatencyRecorder.report(
                        latencies,
                        "transition commit (the row's created_at) to the receiver's receipt of the request"));
        paced.put("target_p99_ms", TARGET_P99_MS);
        report.put("paced", paced);
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Path json = dir.resolve("webhooks.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        LOG.infof("bench: wrote %s: %s", json.toAbsolutePath(), report);
    }

    /**
     * Publishes {@code count} pods of the pipeline, one every {@code 1/rate} s, each first seen Succeeded: one
     * transition, one webhook. Waits for every request; returns the sorted latencies in nanoseconds.
     */
    private long[] paced(String pipeline, String prefix, int count, int rate) {
        String created = Instant.now().toString();
        Pod[] pods = new Pod[count];
        for (int i = 0; i < count; i++) {
            pods[i] = Pods.workflow("bench", prefix + "-" + UUID.randomUUID(), "ci")
                    .pipeline(pipeline)
                    .succeeded()
                    .with(pod -> pod.editMetadata()
                            .withCreationTimestamp(created)
                            .withResourceVersion("1")
                            .endMetadata())
                    .build();
        }
        int before = receiver.requests(PATH).size();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!bus.publish(new Observation.PodSeen(Source.WATCH, pods[i], false, due))) {
                throw new IllegalStateException("the bus dropped an observation");
            }
        }
        awaitRequests(before + count);
        List<WebhookReceiver.Request> requests = receiver.requests(PATH).subList(before, before + count);
        Map<String, Instant> createdAt = new LinkedHashMap<>();
        for (Row row : rows(
                "SELECT message_id, created_at FROM outbox WHERE channel = 'webhook' AND run_uid = ANY($1)",
                Tuple.tuple()
                        .addArrayOfString(java.util.Arrays.stream(pods)
                                .map(pod -> pod.getMetadata().getUid())
                                .toArray(String[]::new)))) {
            String id = row.getString("message_id");
            createdAt.put(
                    id.substring(1, id.length() - 1),
                    row.getOffsetDateTime("created_at").toInstant());
        }
        long[] latencies = requests.stream()
                .mapToLong(request -> Duration.between(createdAt.get(request.header("Idempotency-Key")), request.at())
                        .toNanos())
                .sorted()
                .toArray();
        assertEquals(count, latencies.length);
        return latencies;
    }

    private void awaitRequests(int target) {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (receiver.requests(PATH).size() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "gave up waiting: " + receiver.requests(PATH).size() + " of " + target + " webhooks received");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private List<Row> rows(String sql) {
        return rows(sql, Tuple.tuple());
    }

    private List<Row> rows(String sql, Tuple values) {
        List<Row> list = new java.util.ArrayList<>();
        pool.preparedQuery(sql)
                .execute(values)
                .await()
                .atMost(Duration.ofSeconds(30))
                .forEach(list::add);
        return list;
    }
}
