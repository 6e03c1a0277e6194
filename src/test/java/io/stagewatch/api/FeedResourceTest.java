package io.stagewatch.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.run.Source;
import io.stagewatch.testing.ManualReconcile;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.SseClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The resumable status feed: order, resumption without gap or duplicate, filters, heartbeats (slow clients: {@link FeedStalledClientTest}). */
@QuarkusTest
@MockCluster
// observations published straight to the bus, with no pod in the cluster: no reconcile pass may judge them vanished
@TestProfile(ManualReconcile.class)
class FeedResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/api/feed")
    String feed;

    @Inject
    ObservationBus bus;

    @Inject
    Pool pool;

    @Test
    void transitionsArriveInOrderWithTheRunAndItsFromToAt() throws Exception {
        String namespace = Pods.name("order");
        try (SseClient client = new SseClient(feed + "?namespace=" + namespace, null)) {
            await().atMost(WAIT).until(() -> client.status() == 200);
            Pod pod = Pods.workflow(namespace, Pods.name("build"), "ci").build();
            // one state at a time: a newer observation of a run replaces one not yet decided
            publish(pod);
            await().atMost(WAIT).until(() -> client.events().size() == 1);
            publish(Pods.from(pod).running().build());
            await().atMost(WAIT).until(() -> client.events().size() == 2);
            publish(Pods.from(pod).failed(3).build());

            await().atMost(WAIT).until(() -> client.events().size() == 3);
            List<SseClient.Event> events = client.events();
            assertEquals(
                    List.of("transition", "transition", "transition"),
                    events.stream().map(SseClient.Event::name).toList());
            assertTrue(events.get(1).position().isAfter(events.get(0).position())
                    && events.get(2).position().isAfter(events.get(1).position()));
            JsonNode last = JSON.readTree(events.get(2).data());
            assertEquals("RUNNING", last.get("from").asText());
            assertEquals("FAILED", last.get("to").asText());
            assertEquals("EXIT_CODE", last.get("reason").asText());
            assertEquals(
                    "a container exited with a non-zero code",
                    last.get("reasonText").asText());
            assertEquals(pod.getMetadata().getUid(), last.get("uid").asText());
            assertEquals("CI", last.get("stage").asText());
            assertFalse(last.get("at").asText().isEmpty());
            List<String> fields = new ArrayList<>();
            last.fieldNames().forEachRemaining(fields::add);
            assertEquals(
                    "id uid namespace pod workflow pipeline app environment cluster stage platform status cause reason "
                            + "reasonText message node atRisk createdAt startedAt finishedAt updatedAt from to at",
                    String.join(" ", fields),
                    "one flat object: the run's fields, its names among them, then the transition's");
            assertEquals(pod.getMetadata().getName(), last.get("workflow").textValue());
            JsonNode first = JSON.readTree(events.get(0).data());
            assertTrue(first.get("from").isNull());
            assertTrue(first.get("reasonText").isNull(), "present, and null without a reason");
        }
    }

    @Test
    void reconnectingWithLastEventIdWhileTransitionsKeepComingYieldsEveryIdExactlyOnce() throws Exception {
        String namespace = Pods.name("resume");
        long before = lastTransitionId();
        List<FeedPosition> received = new ArrayList<>();
        Thread producer;
        try (SseClient first = new SseClient(feed + "?namespace=" + namespace, null)) {
            await().atMost(WAIT).until(() -> first.status() == 200);
            producer = produce(namespace, 1000);
            await().atMost(WAIT).until(() -> first.events().size() >= 300);
            first.close();
            first.events().forEach(e -> received.add(e.position()));
        }
        String resumeAfter = received.get(received.size() - 1).encode();
        try (SseClient second = new SseClient(feed + "?namespace=" + namespace, resumeAfter)) {
            producer.join();
            await().atMost(WAIT).until(() -> received.size() + second.events().size() >= 1000);
            await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
            second.events().forEach(e -> received.add(e.position()));
        }
        Set<Long> committed = transitionIds(namespace, before);
        List<Long> ids = received.stream().map(FeedPosition::id).toList();
        assertEquals(1000, committed.size());
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no duplicate");
        assertEquals(committed, new HashSet<>(ids), "no gap: every committed transition was received");
        for (int i = 1; i < received.size(); i++) {
            assertTrue(received.get(i).isAfter(received.get(i - 1)), "in feed order across the reconnect");
        }
    }

    @Test
    void aTransactionThatCommitsLateIsDeliveredLiveAndToAClientResumingFromBeforeIt() throws Exception {
        String namespace = Pods.name("late");
        try (SseClient live = new SseClient(feed + "?namespace=" + namespace, null)) {
            await().atMost(WAIT).until(() -> live.status() == 200);
            publish(Pods.workflow(namespace, Pods.name("early"), "ci")
                    .succeeded()
                    .build());
            await().atMost(WAIT).until(() -> live.events().size() == 1);
            String beforeIt = live.events().get(0).id();

            SqlConnection late = pool.getConnection().await().atMost(WAIT);
            try {
                Transaction transaction = late.begin().await().atMost(WAIT);
                String lateUid = insertRunWithTransition(late, namespace);
                // it holds its transition id while others commit after it
                publish(Pods.workflow(namespace, Pods.name("meanwhile"), "ci")
                        .succeeded()
                        .build());
                await().atMost(WAIT).until(() -> live.events().size() == 1 && committedIn(namespace) == 2);
                await().pollDelay(Duration.ofSeconds(5)).atMost(WAIT).until(() -> true);
                transaction.commit().await().atMost(WAIT);

                await().atMost(WAIT).until(() -> live.events().size() == 3);
                assertTrue(live.events().stream().anyMatch(e -> e.data().contains(lateUid)), "delivered live");
                try (SseClient resumed = new SseClient(feed + "?namespace=" + namespace, beforeIt)) {
                    await().atMost(WAIT).until(() -> resumed.events().size() == 2);
                    assertTrue(
                            resumed.events().stream().anyMatch(e -> e.data().contains(lateUid)), "delivered on resume");
                }
            } finally {
                late.close().await().atMost(WAIT);
            }
        }
    }

    @Test
    void anOlderTransactionThatTookAHigherIdAndCommitsLastIsDelivered() throws Exception {
        String namespace = Pods.name("order");
        try (SseClient live = new SseClient(feed + "?namespace=" + namespace, null)) {
            await().atMost(WAIT).until(() -> live.status() == 200);
            SqlConnection older = pool.getConnection().await().atMost(WAIT);
            SqlConnection newer = pool.getConnection().await().atMost(WAIT);
            try {
                Transaction olderTransaction = older.begin().await().atMost(WAIT);
                older.query("SELECT pg_current_xact_id()").execute().await().atMost(WAIT); // it is older from here on
                Transaction newerTransaction = newer.begin().await().atMost(WAIT);
                String newerUid = insertRunWithTransition(newer, namespace);
                newerTransaction.commit().await().atMost(WAIT);
                String olderUid = insertRunWithTransition(older, namespace); // takes the higher id
                await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
                olderTransaction.commit().await().atMost(WAIT);

                await().atMost(WAIT).until(() -> live.events().size() == 2);
                assertTrue(live.events().get(0).data().contains(olderUid), "the older transaction comes first");
                assertTrue(live.events().get(1).data().contains(newerUid));
            } finally {
                older.close().await().atMost(WAIT);
                newer.close().await().atMost(WAIT);
            }
        }
    }

    /**
     * What a pipeline's transaction writes for a new run, by hand, on a connection whose transaction a test holds: a
     * finished run, which the reconcile loop leaves alone although it has no pod.
     */
    private static String insertRunWithTransition(SqlConnection connection, String namespace) {
        String uid = java.util.UUID.randomUUID().toString();
        connection.preparedQuery("""
                INSERT INTO runs (uid, namespace, pod, workflow, stage, status, created_at, updated_at, version)
                VALUES ($1, $2, $1, $1, 'CI', 'SUCCEEDED', now(), now(), 1)""").execute(Tuple.of(uid, namespace)).await().atMost(WAIT);
        connection
                .preparedQuery("INSERT INTO transitions (run_uid, to_status, source) VALUES ($1, 'SUCCEEDED', 'WATCH')")
                .execute(Tuple.of(uid))
                .await()
                .atMost(WAIT);
        return uid;
    }

    private long committedIn(String namespace) {
        return pool.preparedQuery(
                        "SELECT count(*) FROM transitions t JOIN runs r ON r.uid = t.run_uid WHERE r.namespace = $1")
                .execute(Tuple.of(namespace))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
    }

    @Test
    void filtersSelectStageAndStatus() throws Exception {
        String namespace = Pods.name("filter");
        try (SseClient postCdFailures =
                new SseClient(feed + "?namespace=" + namespace + "&stage=post-cd&status=FAILED", null)) {
            await().atMost(WAIT).until(() -> postCdFailures.status() == 200);
            Pod ci = Pods.workflow(namespace, Pods.name("ci"), "ci").build();
            Pod postCd =
                    Pods.workflow(namespace, Pods.name("deploy"), "post-cd").build();
            publish(Pods.from(ci).failed(1).build());
            publish(Pods.from(postCd).running().build());
            publish(Pods.from(postCd).failed(1).build());
            await().atMost(WAIT).until(() -> postCdFailures.events().size() >= 1);
            await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
            assertEquals(1, postCdFailures.events().size());
            JsonNode only = JSON.readTree(postCdFailures.events().get(0).data());
            assertEquals(postCd.getMetadata().getUid(), only.get("uid").asText());
            assertEquals("FAILED", only.get("to").asText());
        }
    }

    @Test
    void aPositionThisDatabaseCannotPlaceGetsAResetThenEveryLaterTransition() {
        String namespace = Pods.name("reset");
        // epoch 7: a position made in a database this one was restored from before it existed
        try (SseClient client = new SseClient(feed + "?namespace=" + namespace, "7.1-1")) {
            await().atMost(WAIT).until(() -> !client.events().isEmpty());
            SseClient.Event reset = client.events().get(0);
            assertEquals("reset", reset.name());
            publish(Pods.workflow(namespace, "after-reset", "ci").succeeded().build());
            await().atMost(WAIT).until(() -> client.events().size() == 2);
            assertEquals("transition", client.events().get(1).name());
            assertTrue(client.events().get(1).position().isAfter(reset.position()), "resumable from the reset's id");
        }
    }

    @Test
    void invalidFilterIsAProblem() {
        io.restassured.RestAssured.given()
                .get("/api/feed?stage=QA")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void idleFeedSendsHeartbeats() {
        try (SseClient client = new SseClient(feed + "?namespace=" + Pods.name("idle"), null)) {
            await().atMost(WAIT).until(() -> client.comments().contains("heartbeat"));
        }
    }

    private void publish(Pod pod) {
        bus.publish(new Observation.PodSeen(Source.WATCH, pod, false));
    }

    /** Publishes {@code count} pods that each go straight to SUCCEEDED: one transition each. */
    private Thread produce(String namespace, int count) {
        Thread thread = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                publish(Pods.workflow(namespace, "p-" + i, "ci").succeeded().build());
                if (i % 50 == 0) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        thread.start();
        return thread;
    }

    private long lastTransitionId() {
        return pool.query("SELECT COALESCE(max(id), 0) FROM transitions")
                .execute()
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
    }

    private Set<Long> transitionIds(String namespace, long after) {
        Set<Long> ids = new HashSet<>();
        pool.preparedQuery(
                        "SELECT t.id FROM transitions t JOIN runs r ON r.uid = t.run_uid WHERE r.namespace = $1 AND t.id > $2")
                .execute(Tuple.of(namespace, after))
                .await()
                .atMost(WAIT)
                .forEach(row -> ids.add(row.getLong(0)));
        return ids;
    }
}
