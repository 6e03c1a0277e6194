package io.stagewatch.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.OutboxRepository;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import io.stagewatch.testing.WebhookReceiver;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox processor through SMTP outages, dead rows and operator retries, crashes, a second processor, and rows of a
 * channel it has no sender for.
 */
@QuarkusTest
@MockCluster
@TestProfile(OutboxProcessorTest.FewAttempts.class)
class OutboxProcessorTest {

    public static class FewAttempts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "stagewatch.outbox.max-attempts",
                    "4",
                    "stagewatch.outbox.backoff.initial",
                    "1s",
                    "stagewatch.outbox.backoff.max",
                    "10s",
                    "stagewatch.notify.webhook.allowed-hosts",
                    "127.0.0.1",
                    // with the default lease, one round of sends fits: the claim is capped at the concurrency
                    "stagewatch.outbox.send-timeout",
                    "30s");
        }
    }

    @RegisterExtension
    static final MailSink SMTP = MailSink.on(MailSink.TEST_PORT);

    @RegisterExtension
    static final WebhookReceiver RECEIVER = WebhookReceiver.create();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    @Inject
    RunRepository runs;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    ChannelSenders senders;

    @Inject
    StagewatchConfig config;

    @Inject
    OutboxProcessor processor;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @Test
    void smtpDownWhenTheRunFailsThenBackSendsExactlyOneMailAfterSeveralAttempts() {
        String to = Pods.name("ops") + "@example.org";
        SMTP.stop();
        try {
            String uid = failedRun(to);
            await().atMost(WAIT).until(() -> attempts(uid, "FAILED") >= 2);
        } finally {
            SMTP.start();
        }
        await().atMost(WAIT).until(() -> SMTP.subjects(to).stream().anyMatch(s -> s.contains("FAILED")));
        String uid = runOf(to);
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.event == 'FAILED' }.status", equalTo("SENT")));
        assertTrue(attempts(uid, "FAILED") > 1, "the failed attempts are visible");
        assertEquals(
                1, SMTP.subjects(to).stream().filter(s -> s.contains("FAILED")).count());
    }

    @Test
    void permanentlyFailingSmtpMakesTheRowDeadAndARetrySendsItOnce() {
        String to = Pods.name("ops") + "@example.org";
        String uid;
        SMTP.stop();
        try {
            uid = failedRun(to);
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get("/api/notifications?status=DEAD&limit=500")
                            .then()
                            .statusCode(200)
                            .body(
                                    "items.find { it.runUid == '" + uid + "' && it.event == 'FAILED' }.attempts",
                                    equalTo(4)));
        } finally {
            SMTP.start();
        }
        long id = given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .extract()
                .jsonPath()
                .getLong("find { it.event == 'FAILED' }.id");
        given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .body("find { it.event == 'FAILED' }.lastError", org.hamcrest.Matchers.notNullValue());

        // the retried row gets the whole schedule again: its attempts start over
        given().contentType("application/json")
                .post("/api/notifications/{id}/retry", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING"))
                .body("attempts", equalTo(0));

        await().atMost(WAIT).until(() -> SMTP.subjects(to).stream().anyMatch(s -> s.contains("FAILED")));
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", uid)
                        .then()
                        .body("find { it.event == 'FAILED' }.status", equalTo("SENT"))
                        .body("find { it.event == 'FAILED' }.attempts", equalTo(1)));
        assertEquals(
                1, SMTP.subjects(to).stream().filter(s -> s.contains("FAILED")).count());
        given().contentType("application/json")
                .post("/api/notifications/{id}/retry", id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .post("/api/notifications/{id}/retry", Long.MAX_VALUE)
                .then()
                .statusCode(404);
    }

    @Test
    void crashAfterSmtpAcceptedAndBeforeTheRowWasMarkedResendsWithTheSameMessageId() {
        String to = Pods.name("ops") + "@example.org";
        String uid = failedRun(to);
        await().atMost(WAIT).until(() -> SMTP.subjects(to).stream().anyMatch(s -> s.contains("FAILED")));
        // the state a crash leaves: the mail was accepted, the row still PENDING under a lease that has expired
        pool.preparedQuery("UPDATE outbox SET status = 'PENDING', sent_at = NULL, next_attempt_at = now() "
                        + "WHERE run_uid = $1 AND event = 'FAILED'")
                .execute(Tuple.of(uid))
                .await()
                .atMost(Duration.ofSeconds(5));

        await().atMost(WAIT)
                .until(() -> SMTP.to(to).stream()
                                .filter(m -> MailSink.subject(m).contains("FAILED"))
                                .count()
                        == 2);
        List<String> ids = SMTP.to(to).stream()
                .filter(m -> MailSink.subject(m).contains("FAILED"))
                .map(MailSink::messageId)
                .toList();
        assertEquals(ids.get(0), ids.get(1), "the resend carries the same Message-ID");
    }

    @Test
    void twoProcessorsOnOneDatabaseSendEachOfAThousandRowsExactlyOnce() {
        String prefix = Pods.name("bulk");
        List<String> recipients = IntStream.range(0, 1000)
                .mapToObj(i -> prefix + "-" + i + "@example.org")
                .toList();
        Pool second = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(databaseUrl + "?user=postgres")
                .using(vertx)
                .build();
        var registry = new SimpleMeterRegistry();
        OutboxProcessor other = new OutboxProcessor(
                new OutboxRepository(second),
                senders,
                config,
                new DeliveryMetrics(registry, senders),
                Duration.ofSeconds(20));
        try {
            // a finished run of no pod: the reconcile loop leaves it alone
            String uid = UUID.randomUUID().toString();
            runs.insert(
                            Runs.attributes(uid, "ci", prefix, prefix, "bulk", Platform.STAGEWATCH, recipients),
                            null,
                            new Verdict(RunStatus.SUCCEEDED, null, null, null, null),
                            Source.WATCH,
                            Instant.now())
                    .await()
                    .atMost(Duration.ofSeconds(10));
            // the service's own processor was woken by NOTIFY; the second one drains until nothing is due
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                other.drain().await().atMost(Duration.ofSeconds(60));
                return OutboxFixtures.sent(pool, uid) == 1000;
            });

            List<String> messageIds = new ArrayList<>();
            for (var message : SMTP.all()) {
                String id = MailSink.messageId(message);
                if (id.contains(uid)) {
                    messageIds.add(id);
                }
            }
            assertEquals(1000, messageIds.size(), "one mail per row");
            assertEquals(1000, new HashSet<>(messageIds).size(), "every row sent once");
            double sentBySecond = registry.find("stagewatch.notifications").tag("result", "sent").counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
            assertTrue(
                    sentBySecond > 0 && sentBySecond < 1000,
                    "both processors took part (the second sent " + sentBySecond + ")");
        } finally {
            second.closeAndAwait();
        }
    }

    @Test
    void oneDrainClaimsBatchAfterBatchUntilNothingIsDueWhenTheLeaseCapsTheClaimBelowTheBatchSize() {
        String prefix = Pods.name("drain");
        int rows = 150;
        List<String> recipients = IntStream.range(0, rows)
                .mapToObj(i -> prefix + "-" + i + "@example.org")
                .toList();
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
        assertTrue(
                other.claimLimit() < config.outbox().batchSize() && other.claimLimit() * 2 < rows,
                "the claim is capped by concurrency × lease ÷ send-timeout: " + other.claimLimit());
        try {
            String uid = UUID.randomUUID().toString();
            runs.insert(
                            Runs.attributes(uid, "ci", prefix, prefix, "drain", Platform.STAGEWATCH, recipients),
                            null,
                            new Verdict(RunStatus.SUCCEEDED, null, null, null, null),
                            Source.WATCH,
                            Instant.now())
                    .await()
                    .atMost(Duration.ofSeconds(10));
            other.drain().await().atMost(Duration.ofSeconds(60));
            // the service's own processor, woken once by the NOTIFY, may have taken some: none is left unclaimed
            long neverClaimed = pool.preparedQuery("SELECT count(*) FROM outbox WHERE run_uid = $1 AND attempts = 0")
                    .execute(Tuple.of(uid))
                    .await()
                    .atMost(Duration.ofSeconds(5))
                    .iterator()
                    .next()
                    .getLong(0);
            assertEquals(0, neverClaimed, "one drain sends every due row, batch after batch");
        } finally {
            second.closeAndAwait();
        }
    }

    @Test
    void aRowOfAChannelThisReleaseCannotSendWaitsUnclaimedWhileEveryOtherRowIsDelivered() {
        // a row of a channel a later release added, due for an hour: the first in the claim's order
        long pager = pool.preparedQuery("""
                        INSERT INTO outbox (run_uid, transition_id, event, channel, url, next_attempt_at)
                        SELECT run_uid, id, 'SUCCEEDED', 'pager', 'https://pager.example.org/' || run_uid,
                               now() - interval '1 hour'
                        FROM transitions WHERE run_uid = $1
                        RETURNING id""")
                .execute(Tuple.of(OutboxFixtures.finishedRun(runs, Pods.name("later"), 0)))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong("id");
        try {
            String path = "/ordinary-" + UUID.randomUUID();
            String pipeline = Pods.name("ordinary");
            given().contentType("application/json")
                    .body(Map.of(
                            "name",
                            "ordinary",
                            "pipeline",
                            pipeline,
                            "stages",
                            List.of("CI"),
                            "events",
                            List.of("SUCCEEDED"),
                            "webhooks",
                            List.of(Map.of("url", RECEIVER.url(path), "kind", "json"))))
                    .post("/api/notification-rules")
                    .then()
                    .statusCode(201);
            String uid = OutboxFixtures.finishedRun(runs, pipeline, 3);

            await().atMost(WAIT).until(() -> OutboxFixtures.sent(pool, uid) == 4);
            assertEquals(1, RECEIVER.requests(path).size());
            processor.drain().await().atMost(WAIT);
            Row row = pool.preparedQuery("SELECT status, claim, attempts FROM outbox WHERE id = $1")
                    .execute(Tuple.of(pager))
                    .await()
                    .atMost(Duration.ofSeconds(5))
                    .iterator()
                    .next();
            assertEquals("PENDING", row.getString("status"));
            assertNull(row.getUUID("claim"), "never claimed");
            assertEquals(0, row.getInteger("attempts"), "no attempt counted");
        } finally {
            pool.preparedQuery("DELETE FROM outbox WHERE id = $1")
                    .execute(Tuple.of(pager))
                    .await()
                    .atMost(Duration.ofSeconds(5));
        }
    }

    private String failedRun(String to) {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci")
                .running()
                .notify(to)
                .build());
        cluster.update(pod, p -> p.failed(2));
        return pod.getMetadata().getUid();
    }

    private String runOf(String to) {
        return pool.preparedQuery("SELECT run_uid FROM outbox WHERE recipient = $1 LIMIT 1")
                .execute(Tuple.of(to))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getString(0);
    }

    private static int attempts(String uid, String event) {
        JsonPath notifications = given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .extract()
                .jsonPath();
        Integer attempts = notifications.get("find { it.event == '" + event + "' }.attempts");
        return attempts == null ? 0 : attempts;
    }
}
