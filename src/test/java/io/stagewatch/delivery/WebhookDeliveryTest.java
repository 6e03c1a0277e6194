package io.stagewatch.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.OutboxRepository;
import io.stagewatch.store.RunRepository;
import io.stagewatch.store.RunVersion;
import io.stagewatch.testing.ManualReconcile;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import io.stagewatch.testing.TestHostResolver;
import io.stagewatch.testing.WebhookReceiver;
import io.stagewatch.testing.WebhookReceiver.Answer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhook and Slack notifications end to end: rules over REST, runs recorded by the transition statement, the real
 * outbox processor, and a real HTTP receiver on a loopback port (allowed by {@code allowed-hosts}).
 */
@QuarkusTest
@MockCluster
// runs are written straight to the store, with no pod: no pass may judge them vanished meanwhile
@TestProfile(ManualReconcile.class)
class WebhookDeliveryTest {

    @RegisterExtension
    static final WebhookReceiver RECEIVER = WebhookReceiver.create();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RULES = "/api/notification-rules";
    private static final String SECRET = "s3cret-" + UUID.randomUUID();
    private static final List<String> LOG = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @Inject
    RunRepository runs;

    @Inject
    ChannelSenders senders;

    @Inject
    StagewatchConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @BeforeAll
    static void captureLogs() {
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void noSecretWasLogged() {
        Logger.getLogger("").removeHandler(CAPTURE);
        assertFalse(LOG.isEmpty(), "the capture saw the log");
        LOG.forEach(line -> {
            assertFalse(line != null && line.contains(SECRET), "a log line shows the secret: " + line);
            assertFalse(line != null && line.contains("/services/"), "a log line shows a Slack URL's path: " + line);
        });
    }

    @Test
    void aSignedJsonWebhookIsRetriedWithTheSameKeyAndBodyUntilDelivered() {
        String path = "/json-" + UUID.randomUUID();
        RECEIVER.script(path, Answer.status(503, "down"), Answer.status(500, "still down"));
        String pipeline = rule(List.of(hook(RECEIVER.url(path), "json", SECRET)));
        String uid = succeededRun(pipeline);

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.channel == 'webhook' }.status", equalTo("SENT")));
        List<WebhookReceiver.Request> requests = RECEIVER.requests(path);
        assertEquals(3, requests.size(), "two failures, then the delivery");
        JsonPath row = given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .extract()
                .jsonPath();
        String messageId = row.getString("find { it.channel == 'webhook' }.messageId");
        assertEquals(3, row.getInt("find { it.channel == 'webhook' }.attempts"));
        assertEquals(RECEIVER.url(path), row.getString("find { it.channel == 'webhook' }.destination"));
        for (WebhookReceiver.Request request : requests) {
            assertEquals(messageId.substring(1, messageId.length() - 1), request.header("Idempotency-Key"));
            assertEquals(requests.get(0).body(), request.body(), "the same bytes on every attempt");
            long timestamp = Long.parseLong(request.header("X-Stagewatch-Timestamp"));
            assertTrue(Math.abs(timestamp - request.at().getEpochSecond()) <= 2, "the timestamp of the attempt");
            assertEquals(
                    WebhookSignature.sign(SECRET, timestamp, request.body()), request.header("X-Stagewatch-Signature"));
            assertEquals("application/json", request.header("Content-Type"));
        }
        JsonObject body = new JsonObject(requests.get(0).body());
        assertEquals("SUCCEEDED", body.getString("event"));
        assertEquals(uid, body.getJsonObject("run").getString("uid"));
        assertEquals("SUCCEEDED", body.getJsonObject("run").getString("status"));
        assertEquals(pipeline, body.getJsonObject("run").getString("pipeline"));
        assertEquals("stagewatch", body.getJsonObject("run").getString("platform"));
        assertEquals("https://stagewatch.example.org/runs/" + uid, body.getString("link"));
        assertTrue(registry.find("stagewatch.notifications")
                        .tags("channel", "webhook", "event", "SUCCEEDED", "result", "sent")
                        .counter()
                        .count()
                >= 1);
        assertTrue(registry.find("stagewatch.notifications.latency")
                        .tag("channel", "webhook")
                        .timer()
                        .count()
                >= 1);
    }

    @Test
    void aRetryAfterTheRunMovedOnPostsTheBytesOfTheTransitionThatQueuedIt() {
        String path = "/started-" + UUID.randomUUID();
        RECEIVER.script(path, Answer.tooManyRequests(3));
        String pipeline = Pods.name("moved");
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "started",
                        "pipeline",
                        pipeline,
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("STARTED"),
                        "webhooks",
                        List.of(hook(RECEIVER.url(path), "json", SECRET))))
                .post(RULES)
                .then()
                .statusCode(201);
        String uid = UUID.randomUUID().toString();
        RunAttributes attributes =
                Runs.attributes(uid, "ci", "pod-" + uid, "build", pipeline, Platform.STAGEWATCH, List.of());
        runs.insert(
                        attributes,
                        null,
                        new Verdict(RunStatus.RUNNING, null, null, null, null),
                        Source.WATCH,
                        Instant.now())
                .await()
                .atMost(Duration.ofSeconds(10));
        await().atMost(WAIT).until(() -> RECEIVER.requests(path).size() == 1);

        // the run fails before the retry the receiver asked for
        runs.update(
                        uid,
                        new RunVersion(Stage.CI, RunStatus.RUNNING, 1, null),
                        new Verdict(RunStatus.FAILED, FailureReason.EXIT_CODE, "exit 3", null, null),
                        attributes,
                        Source.WATCH,
                        Instant.now())
                .await()
                .atMost(Duration.ofSeconds(10));
        await().atMost(WAIT).until(() -> RECEIVER.requests(path).size() == 2);

        List<WebhookReceiver.Request> requests = RECEIVER.requests(path);
        assertEquals(requests.get(0).body(), requests.get(1).body(), "the same bytes on every attempt");
        JsonObject body = new JsonObject(requests.get(1).body());
        JsonObject run = body.getJsonObject("run");
        assertEquals("STARTED", body.getString("event"));
        assertEquals("RUNNING", run.getString("status"));
        assertEquals(null, run.getString("message"));
        assertEquals(null, run.getString("finishedAt"), "set by the later transition");
        String at = given().get("/api/runs/{uid}/transitions", uid)
                .then()
                .extract()
                .jsonPath()
                .getString("find { it.to == 'RUNNING' }.at");
        assertEquals(Instant.parse(at), Instant.parse(body.getString("at")), "when the transition was committed");
        assertEquals(
                WebhookSignature.sign(
                        SECRET,
                        Long.parseLong(requests.get(1).header("X-Stagewatch-Timestamp")),
                        requests.get(1).body()),
                requests.get(1).header("X-Stagewatch-Signature"));
    }

    @Test
    void tooManyRequestsWaitsAsToldAndCountsAsAnAttempt() {
        String path = "/busy-" + UUID.randomUUID();
        RECEIVER.script(path, Answer.tooManyRequests(1));
        String uid = succeededRun(rule(List.of(hook(RECEIVER.url(path), "json", null))));

        await().atMost(WAIT).until(() -> RECEIVER.requests(path).size() == 2);
        List<WebhookReceiver.Request> requests = RECEIVER.requests(path);
        Duration waited = Duration.between(requests.get(0).at(), requests.get(1).at());
        assertTrue(waited.compareTo(Duration.ofMillis(900)) >= 0, "waited " + waited + " of the 1 s asked for");
        assertEquals(null, requests.get(0).header("X-Stagewatch-Signature"), "no secret, no signature");
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.channel == 'webhook' }.status", equalTo("SENT"))
                        .body("find { it.channel == 'webhook' }.attempts", equalTo(2)));
    }

    @Test
    void aRefusalOrARedirectIsDeadAtOnceWithTheStatusAndTheStartOfTheBody() {
        String refused = "/refused-" + UUID.randomUUID();
        String moved = "/moved-" + UUID.randomUUID();
        String body = "x".repeat(150) + "y".repeat(150);
        RECEIVER.script(refused, Answer.status(400, body));
        RECEIVER.script(moved, Answer.redirect(RECEIVER.url(moved + "-target")));
        String uid = succeededRun(
                rule(List.of(hook(RECEIVER.url(refused), "json", null), hook(RECEIVER.url(moved), "json", null))));

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("findAll { it.channel == 'webhook' && it.status == 'DEAD' }.size()", equalTo(2)));
        JsonPath rows = given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .extract()
                .jsonPath();
        assertEquals(
                "HTTP 400: " + body.substring(0, 200),
                rows.getString("find { it.destination.endsWith('" + refused + "') }.lastError"));
        assertEquals(1, rows.getInt("find { it.destination.endsWith('" + refused + "') }.attempts"));
        assertTrue(rows.getString("find { it.destination.endsWith('" + moved + "') }.lastError")
                .startsWith("HTTP 302"));
        assertEquals(1, RECEIVER.requests(refused).size());
        assertEquals(1, RECEIVER.requests(moved).size());
        assertEquals(0, RECEIVER.requests(moved + "-target").size(), "redirects are not followed");

        long id = rows.getLong("find { it.destination.endsWith('" + refused + "') }.id");
        given().contentType(ContentType.JSON)
                .post("/api/notifications/{id}/retry", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING"));
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.id == " + id + " }.status", equalTo("SENT")));
        assertEquals(2, RECEIVER.requests(refused).size(), "the operator's retry delivered it");
    }

    @Test
    void aHangingReceiverTimesOutAndTheDeliveryIsRetried() {
        String path = "/hang-" + UUID.randomUUID();
        RECEIVER.script(path, Answer.hang());
        String uid = succeededRun(rule(List.of(hook(RECEIVER.url(path), "json", null))));

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.channel == 'webhook' }.status", equalTo("SENT"))
                        .body("find { it.channel == 'webhook' }.attempts", equalTo(2)));
        List<WebhookReceiver.Request> requests = RECEIVER.requests(path);
        assertEquals(2, requests.size());
        assertTrue(
                Duration.between(requests.get(0).at(), requests.get(1).at()).compareTo(Duration.ofSeconds(2)) >= 0,
                "the first attempt ran into the send timeout");
    }

    @Test
    void slackGetsBlockKitAndItsUrlAndSecretAreNeverShown() {
        String path = "/services/T0/B0/" + UUID.randomUUID();
        String pipeline = "slack-" + UUID.randomUUID();
        long id = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "chat",
                        "pipeline",
                        pipeline,
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("FAILED"),
                        "webhooks",
                        List.of(hook(RECEIVER.url(path), "slack", SECRET))))
                .post(RULES)
                .then()
                .statusCode(201)
                .body("webhooks[0].url", equalTo("http://127.0.0.1"))
                .body("webhooks[0].secret", equalTo("***"))
                .body("webhooks[0].kind", equalTo("slack"))
                .extract()
                .jsonPath()
                .getLong("id");
        // what a read shows, sent back, keeps what is stored
        Map<String, Object> read =
                given().get(RULES + "/{id}", id).then().extract().jsonPath().getMap("");
        given().contentType(ContentType.JSON)
                .body(read)
                .put(RULES + "/{id}", id)
                .then()
                .statusCode(200);

        String uid = failedRun(pipeline, "<!channel> & <https://evil.example|click>");
        await().atMost(WAIT).until(() -> RECEIVER.requests(path).size() == 1);
        JsonObject payload = new JsonObject(RECEIVER.requests(path).get(0).body());
        assertTrue(payload.getString("text").contains("CI FAILED"), payload.encode());
        assertTrue(
                payload.encode().contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"),
                payload.encode());
        assertTrue(payload.getJsonArray("blocks").size() >= 3, payload.encode());
        assertEquals(
                WebhookSignature.sign(
                        SECRET,
                        Long.parseLong(RECEIVER.requests(path).get(0).header("X-Stagewatch-Timestamp")),
                        RECEIVER.requests(path).get(0).body()),
                RECEIVER.requests(path).get(0).header("X-Stagewatch-Signature"),
                "the kept secret signs");

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.channel == 'slack' }.status", equalTo("SENT"))
                        .body("find { it.channel == 'slack' }.destination", equalTo("http://127.0.0.1")));
        List<String> responses = List.of(
                given().get(RULES + "/{id}", id).asString(),
                given().get(RULES).asString(),
                given().get("/api/runs/{uid}/notifications", uid).asString(),
                given().get("/api/notifications?limit=500").asString());
        for (String response : responses) {
            assertFalse(response.contains(SECRET), "the secret is write-only: " + response);
            assertFalse(response.contains("/services/"), "a Slack URL is shown as scheme and host: " + response);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://169.254.169.254/latest/meta-data",
                "https://localhost/hook",
                "https://10.0.0.5/hook",
                "https://rebound.example.test/hook",
                "http://hooks.example.org/plain"
            })
    void aWebhookThatCouldReachInsideIsRefusedWhenSaved(String url) {
        TestHostResolver.point("rebound.example.test", "127.0.0.1");
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "ssrf",
                        "pipeline",
                        "*",
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("FAILED"),
                        "webhooks",
                        List.of(hook(url, "json", null))))
                .post(RULES)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid field 'webhooks'"));
    }

    @Test
    void aNameThatResolvesToLoopbackAtDeliveryIsNeverConnectedToAndTheRowIsDead() {
        String host = "rebinding-" + UUID.randomUUID() + ".example.test";
        TestHostResolver.point(host, "93.184.216.34");
        String pipeline = rule(List.of(hook("https://" + host + ":" + RECEIVER.port() + "/rebind", "json", null)));
        TestHostResolver.point(host, "127.0.0.1");
        String uid = succeededRun(pipeline);

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.channel == 'webhook' }.status", equalTo("DEAD"))
                        .body("find { it.channel == 'webhook' }.attempts", equalTo(1)));
        String error = given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .extract()
                .jsonPath()
                .getString("find { it.channel == 'webhook' }.lastError");
        assertTrue(error.contains("loopback"), error);
        assertEquals(0, RECEIVER.requests("/rebind").size());
    }

    @Test
    void fiftyRedeliveriesAndTwoProcessorsDeliverOncePerRunEventAndDestination() {
        String json = "/once-json-" + UUID.randomUUID();
        String slack = "/once-slack-" + UUID.randomUUID();
        String pipeline = "once-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "once",
                        "pipeline",
                        pipeline,
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("STARTED", "SUCCEEDED"),
                        "webhooks",
                        List.of(hook(RECEIVER.url(json), "json", SECRET), hook(RECEIVER.url(slack), "slack", null))))
                .post(RULES)
                .then()
                .statusCode(201);
        Pool second = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(databaseUrl + "?user=postgres")
                .using(vertx)
                .build();
        OutboxProcessor other = new OutboxProcessor(
                new OutboxRepository(second),
                senders,
                config,
                new DeliveryMetrics(new SimpleMeterRegistry(), senders),
                Duration.ofSeconds(20));
        int count = 20;
        try {
            List<String> uids = IntStream.range(0, count)
                    .mapToObj(i -> UUID.randomUUID().toString())
                    .toList();
            for (String uid : uids) {
                RunAttributes attributes =
                        Runs.attributes(uid, "ci", "p-" + uid, "w", pipeline, Platform.STAGEWATCH, List.of());
                Verdict running = new Verdict(RunStatus.RUNNING, null, null, Instant.now(), null);
                Uni.join()
                        .all(IntStream.range(0, 50)
                                .mapToObj(i -> runs.insert(attributes, null, running, Source.WATCH, Instant.now()))
                                .toList())
                        .andCollectFailures()
                        .await()
                        .atMost(Duration.ofSeconds(30));
                Verdict succeeded = new Verdict(RunStatus.SUCCEEDED, null, null, null, Instant.now());
                RunVersion first = new RunVersion(Stage.CI, RunStatus.RUNNING, 1, null);
                Uni.join()
                        .all(IntStream.range(0, 50)
                                .mapToObj(i ->
                                        runs.update(uid, first, succeeded, attributes, Source.RECONCILE, Instant.now()))
                                .toList())
                        .andCollectFailures()
                        .await()
                        .atMost(Duration.ofSeconds(30));
                other.drain().subscribe().with(ignored -> {});
            }
            await().atMost(WAIT).until(() -> {
                other.drain().await().atMost(Duration.ofSeconds(30));
                return RECEIVER.requests(json).size() + RECEIVER.requests(slack).size() >= count * 4;
            });
            // and no second delivery follows
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> RECEIVER.requests(json).size()
                                    + RECEIVER.requests(slack).size()
                            == count * 4);

            List<WebhookReceiver.Request> all = new ArrayList<>(RECEIVER.requests(json));
            all.addAll(RECEIVER.requests(slack));
            Map<String, Long> perKey = all.stream()
                    .collect(
                            Collectors.groupingBy(request -> request.header("Idempotency-Key"), Collectors.counting()));
            assertEquals(count * 4, all.size(), "one delivery per run, event and destination");
            assertEquals(count * 4, perKey.size());
            assertTrue(perKey.values().stream().allMatch(n -> n == 1));
            for (String uid : uids) {
                assertEquals(
                        2,
                        RECEIVER.requests(json).stream()
                                .filter(r -> r.body().contains(uid))
                                .count());
            }
        } finally {
            second.closeAndAwait();
        }
    }

    private static Map<String, Object> hook(String url, String kind, String secret) {
        Map<String, Object> hook = new HashMap<>(); // Map.of takes no null secret
        hook.put("url", url);
        hook.put("kind", kind);
        hook.put("secret", secret);
        return hook;
    }

    /** A rule for a new pipeline of its own, sending every CI event to these webhooks; returns the pipeline. */
    private static String rule(List<Map<String, Object>> webhooks) {
        String pipeline = Pods.name("hooks");
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "hooks",
                        "pipeline",
                        pipeline,
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("SUCCEEDED", "FAILED"),
                        "webhooks",
                        webhooks))
                .post(RULES)
                .then()
                .statusCode(201);
        return pipeline;
    }

    /** A finished run of no pod (the reconcile loop leaves it alone), recorded by the transition statement. */
    private String succeededRun(String pipeline) {
        return finishedRun(pipeline, new Verdict(RunStatus.SUCCEEDED, null, null, null, null));
    }

    private String failedRun(String pipeline, String message) {
        return finishedRun(pipeline, new Verdict(RunStatus.FAILED, FailureReason.EXIT_CODE, message, null, null));
    }

    private String finishedRun(String pipeline, Verdict verdict) {
        String uid = UUID.randomUUID().toString();
        runs.insert(
                        Runs.attributes(uid, "ci", "pod-" + uid, "build", pipeline, Platform.STAGEWATCH, List.of()),
                        null,
                        verdict,
                        Source.WATCH,
                        Instant.now())
                .await()
                .atMost(Duration.ofSeconds(10));
        return uid;
    }
}
