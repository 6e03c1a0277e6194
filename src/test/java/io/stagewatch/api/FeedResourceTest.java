package io.stagewatch.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.Source;
import io.stagewatch.testing.SseClient;
import io.stagewatch.testing.Pods;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The resumable status feed: order, resumption without gap or duplicate, filters, heartbeats (slow clients: {@link FeedStalledClientTest}). */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(FeedResourceTest.WideBufferQuickHeartbeat.class)
class FeedResourceTest {

    /** A buffer well above the 1000 transitions the resumption test publishes in bursts, and a quick heartbeat. */
    public static class WideBufferQuickHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stagewatch.feed.buffer", "2000", "stagewatch.feed.heartbeat", "1s");
        }
    }

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
            publish(pod);
            publish(Pods.from(pod).running().build());
            publish(Pods.from(pod).failed(3).build());

            await().atMost(WAIT).until(() -> client.events().size() == 3);
            List<SseClient.Event> events = client.events();
            assertEquals(List.of("transition", "transition", "transition"), events.stream().map(SseClient.Event::name).toList());
            assertTrue(events.get(0).id() < events.get(1).id() && events.get(1).id() < events.get(2).id());
            JsonNode last = JSON.readTree(events.get(2).data());
            assertEquals("RUNNING", last.get("from").asText());
            assertEquals("FAILED", last.get("to").asText());
            assertEquals("EXIT_CODE", last.get("reason").asText());
            assertEquals("a container exited with a non-zero code", last.get("reasonText").asText());
            assertEquals(pod.getMetadata().getUid(), last.get("uid").asText());
            assertEquals("CI", last.get("stage").asText());
            assertFalse(last.get("at").asText().isEmpty());
            JsonNode first = JSON.readTree(events.get(0).data());
            assertTrue(first.get("from").isNull());
            assertTrue(first.get("reasonText").isNull(), "present, and null without a reason");
        }
    }

    @Test
    void reconnectingWithLastEventIdWhileTransitionsKeepComingYieldsEveryIdExactlyOnce() throws Exception {
        String namespace = Pods.name("resume");
        long before = lastTransitionId();
        List<Long> received = new ArrayList<>();
        Thread producer;
        try (SseClient first = new SseClient(feed + "?namespace=" + namespace, null)) {
            await().atMost(WAIT).until(() -> first.status() == 200);
            producer = produce(namespace, 1000);
            await().atMost(WAIT).until(() -> first.events().size() >= 300);
            first.close();
            first.events().forEach(e -> received.add(e.id()));
        }
        long resumeAfter = received.get(received.size() - 1);
        try (SseClient second = new SseClient(feed + "?namespace=" + namespace, resumeAfter)) {
            producer.join();
            await().atMost(WAIT).until(() -> received.size() + second.events().size() >= 1000);
            await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
            second.events().forEach(e -> received.add(e.id()));
        }
        Set<Long> committed = transitionIds(namespace, before);
        assertEquals(1000, committed.size());
        assertEquals(received.size(), new HashSet<>(received).size(), "no duplicate");
        assertEquals(committed, new HashSet<>(received), "no gap: every committed transition was received");
        List<Long> sorted = new ArrayList<>(received);
        sorted.sort(null);
        assertEquals(sorted, received, "in id order across the reconnect");
    }

    @Test
    void filtersSelectStageAndStatus() throws Exception {
        String namespace = Pods.name("filter");
        try (SseClient postCdFailures = new SseClient(feed + "?namespace=" + namespace + "&stage=post-cd&status=FAILED", null)) {
            await().atMost(WAIT).until(() -> postCdFailures.status() == 200);
            Pod ci = Pods.workflow(namespace, Pods.name("ci"), "ci").build();
            Pod postCd = Pods.workflow(namespace, Pods.name("deploy"), "post-cd").build();
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
    void invalidFilterIsAProblem() {
        io.restassured.RestAssured.given().get("/api/feed?stage=QA").then().statusCode(400)
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
        return pool.query("SELECT COALESCE(max(id), 0) FROM transitions").execute().await().atMost(WAIT)
                .iterator().next().getLong(0);
    }

    private Set<Long> transitionIds(String namespace, long after) {
        Set<Long> ids = new HashSet<>();
        pool.preparedQuery("SELECT t.id FROM transitions t JOIN runs r ON r.uid = t.run_uid WHERE r.namespace = $1 AND t.id > $2")
                .execute(Tuple.of(namespace, after)).await().atMost(WAIT).forEach(row -> ids.add(row.getLong(0)));
        return ids;
    }
}
