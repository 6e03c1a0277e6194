package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.run.NodeLoss;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.SseClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 25 on the mock API server, with Node objects: runs on a failing node are flagged at risk and cleared with no
 * transition; NODE_LOST once Kubernetes gives up on the node (the test profile's deleted-grace is 2 s).
 */
@QuarkusTest
@MockCluster
class NodeWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAMESPACE = "nodes";
    /** What the DefaultTolerationSeconds admission plugin gives every pod. */
    private static final long DEFAULT_TOLERATION = 300;

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/api/feed")
    String feed;

    private Cluster cluster;
    private final List<Pod> pods = new ArrayList<>();
    private final List<String> nodes = new ArrayList<>();

    @BeforeEach
    void cluster() {
        cluster = new Cluster(client);
    }

    @AfterEach
    void cleanUp() {
        pods.forEach(cluster::forceDelete);
        nodes.forEach(name -> client.nodes().withName(name).delete());
    }

    @Test
    void aNodeNotReadyAndUnreachableFlagsItsRunsAndNotAnotherNodesAndRecoveryClearsThemWithNoTransition() {
        String failing = node(true, Instant.now(), null);
        String other = node(true, Instant.now(), null);
        String onFailing = running(failing, DEFAULT_TOLERATION);
        String onOther = running(other, DEFAULT_TOLERATION);
        int notifications = given().get("/api/runs/{uid}/notifications", onFailing)
                .then()
                .extract()
                .path("size()");

        try (SseClient sse = new SseClient(feed + "?namespace=" + NAMESPACE, null)) {
            await().atMost(WAIT).until(() -> sse.status() == 200);
            Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            cluster.node(failing, "Unknown", since, NodeLoss.UNREACHABLE);

            String atRisk =
                    "node " + failing + " NotReady since " + since.toString().substring(11);
            awaitRisk(onFailing, atRisk);
            await().atMost(WAIT)
                    .until(() -> sse.events().stream()
                            .anyMatch(event -> "risk".equals(event.name())
                                    && event.id() == null
                                    && event.data().contains(onFailing)
                                    && event.data().contains(atRisk)));
            given().get("/api/runs/{uid}", onOther)
                    .then()
                    .body("atRisk", nullValue())
                    .body("node", equalTo(other));

            cluster.node(failing, "True", Instant.now(), null);
            awaitRisk(onFailing, null);
            await().atMost(WAIT)
                    .until(() -> sse.events().stream()
                            .anyMatch(event -> "risk".equals(event.name())
                                    && event.data().contains(onFailing)
                                    && event.data().contains("\"atRisk\":null")));
        }
        given().get("/api/runs/{uid}", onFailing).then().body("status", equalTo("RUNNING"));
        given().get("/api/runs/{uid}/transitions", onFailing).then().body("", hasSize(1));
        // queued with the RUNNING transition (by whatever rules other tests left), and none since
        given().get("/api/runs/{uid}/notifications", onFailing).then().body("", hasSize(notifications));
    }

    @Test
    void aDeletedNodesRunsAreLostOnceTheGraceHasPassedAndNotBefore() {
        String deleted = node(true, Instant.now(), null);
        String other = node(true, Instant.now(), null);
        String onDeleted = running(deleted, DEFAULT_TOLERATION);
        String onOther = running(other, DEFAULT_TOLERATION);

        Instant deletedAt = Instant.now();
        client.nodes().withName(deleted).delete();
        awaitRisk(onDeleted, "node " + deleted + " deleted");
        awaitNodeLost(onDeleted, "was deleted and did not come back within 2s");
        assertTrue(
                Duration.between(deletedAt, Instant.now()).compareTo(Duration.ofSeconds(2)) >= 0,
                "NODE_LOST before the grace");
        given().get("/api/runs/{uid}", onDeleted).then().body("atRisk", nullValue());
        given().get("/api/runs/{uid}", onOther)
                .then()
                .body("status", equalTo("RUNNING"))
                .body("atRisk", nullValue());
    }

    @Test
    void theOutOfServiceTaintOnANodeNotReadyLosesItsRunsAtOnce() {
        Instant since = Instant.now();
        String node = node(false, since, NodeLoss.OUT_OF_SERVICE);
        String run = running(node, null);

        awaitNodeLost(run, "out of service");
    }

    @Test
    void aPodTolerating15SecondsOnANodeTaintedLongBeforeIsLostAtOnce() {
        Instant longBefore = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        String node = node(false, longBefore, NodeLoss.UNREACHABLE);
        String run = running(node, 15L);

        awaitNodeLost(run, "tolerated for 15s");
    }

    @Test
    void aPodToleratingForeverStaysAtRiskAndRunning() {
        Instant longBefore = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        String node = node(false, longBefore, NodeLoss.UNREACHABLE);
        String run = running(node, null);

        awaitRisk(
                run, "node " + node + " NotReady since " + longBefore.toString().substring(11));
        // several evaluations (one a second) later
        await().during(Duration.ofSeconds(3))
                .atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", run).then().body("status", equalTo("RUNNING")));
    }

    /** A new node, Ready or not since then, with the NoExecute taint (added then) if any; returns its name. */
    private String node(boolean ready, Instant since, String taint) {
        String name = Pods.name("node");
        cluster.node(name, ready ? "True" : "False", since, taint);
        nodes.add(name);
        return name;
    }

    /**
     * A running workflow pod on the node, tolerating its taints as given; returns its run's uid once it has been
     * RUNNING (read from its first transition: on a node already lost it may be FAILED by the time it is read).
     */
    private String running(String node, Long tolerationSeconds) {
        Pod pod = cluster.create(Pods.workflow(NAMESPACE, Pods.name("build"), "ci")
                .running()
                .node(node)
                .tolerating(tolerationSeconds)
                .build());
        pods.add(pod);
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT)
                .untilAsserted(() ->
                        given().get("/api/runs/{uid}/transitions", uid).then().body("[0].to", equalTo("RUNNING")));
        return uid;
    }

    private static void awaitRisk(String uid, String atRisk) {
        await().atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .body("status", equalTo("RUNNING"))
                        .body("atRisk", equalTo(atRisk)));
    }

    private static void awaitNodeLost(String uid, String why) {
        await().atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .body("status", equalTo("FAILED"))
                        .body("cause", equalTo("INFRASTRUCTURE"))
                        .body("reason", equalTo("NODE_LOST"))
                        .body("message", containsString(why)));
        given().get("/api/runs/{uid}/transitions", uid).then().body("", hasSize(2));
    }
}
