package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stagewatch.delivery.OutboxProcessor;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.OutboxRepository;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import io.stagewatch.testing.SseClient;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two clusters, {@code east} (this instance's) and {@code west} (another instance's), share one database, with the same
 * namespace and the same pod names in both: what this instance infers from the absence of a pod (vanished, never
 * started, old enough to delete) and the notifications it delivers are its own cluster's only. West's runs are recorded
 * through the store's own statement, as west's pipeline records them.
 */
@QuarkusTest
@MockCluster
class TwoClustersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String WEST = "west";

    @TestHTTPResource("/api/feed")
    String feed;

    @Inject
    KubernetesClient client;

    @Inject
    RunRepository runs;

    @Inject
    ReconcileLoop reconcile;

    @Inject
    Retention retention;

    @Inject
    OutboxProcessor outbox;

    @Inject
    OutboxRepository notifications;

    @Inject
    Pool pool;

    @Test
    void anInstanceNeverJudgesDeletesOrNotifiesTheRunsOfAClusterItDoesNotWatch() {
        String namespace = "shared-" + Pods.name("ns");
        String pipeline = Pods.name("two-clusters");
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name", "west's team",
                        "pipeline", pipeline,
                        "stages", List.of("CI"),
                        "events", List.of("STARTED"),
                        "recipients", List.of("west-team@example.org"),
                        "clusters", List.of(WEST)))
                .post("/api/notification-rules")
                .then()
                .statusCode(201)
                .body("clusters", equalTo(List.of(WEST)));
        String building = Pods.name("build");
        String deploying = Pods.name("deploy");
        Cluster east = new Cluster(client);
        Pod eastBuild =
                east.create(Pods.workflow(namespace, building, "ci").running().build());
        Pod eastDeploy = east.create(Pods.workflow(namespace, deploying, "ci").build());
        String eastBuildRun = eastBuild.getMetadata().getUid();
        String eastDeployRun = eastDeploy.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(eastBuildRun, "RUNNING", null, Runs.CLUSTER));
        await().atMost(WAIT).untilAsserted(() -> runIs(eastDeployRun, "PENDING", null, Runs.CLUSTER));

        // west's pods of the same names, unfinished, one with a mail to send; and a run west finished long ago
        String westBuild = record(namespace, building, pipeline, RunStatus.RUNNING, List.of("ops@example.org"), WEST);
        String westDeploy = record(namespace, deploying, pipeline, RunStatus.PENDING, List.of(), WEST);
        String westOld = record(namespace, Pods.name("old"), pipeline, RunStatus.SUCCEEDED, List.of(), WEST);
        // the same of east, whose pods are gone: what this instance does judge, delete and send
        String eastGone =
                record(namespace, Pods.name("gone"), pipeline, RunStatus.RUNNING, List.of("ops@example.org"), "east");
        String eastOld = record(namespace, Pods.name("old"), pipeline, RunStatus.SUCCEEDED, List.of(), "east");
        age(westOld);
        age(eastOld);

        for (int pass = 0; pass < 3; pass++) {
            reconcile.reconcile().await().atMost(WAIT);
            retention.purge().await().atMost(WAIT);
            outbox.drain().await().atMost(WAIT);
        }

        await().atMost(WAIT).untilAsserted(() -> runIs(eastGone, "FAILED", "POD_VANISHED", "east"));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> given().get("/api/runs/{uid}", eastOld).then().statusCode(404));
        await().atMost(WAIT).until(() -> attempts(eastGone) > 0);

        runIs(westBuild, "RUNNING", null, WEST);
        runIs(westDeploy, "PENDING", null, WEST);
        runIs(westOld, "SUCCEEDED", null, WEST);
        assertEquals(0, attempts(westBuild), "west's mail is west's instance's to send");
        assertEquals(
                0, notifications.backlog(Set.of("nowhere")).await().atMost(WAIT).pending());
        assertTrue(
                notifications.backlog(Set.of(WEST)).await().atMost(WAIT).pending() > 0,
                "west's backlog is west's to report");
        runIs(eastBuildRun, "RUNNING", null, "east");
        runIs(eastDeployRun, "PENDING", null, "east");

        // the rule that names west notifies of west's runs only
        assertEquals(
                List.of("ops@example.org", "west-team@example.org"),
                given().get("/api/runs/{uid}/notifications", westBuild)
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("recipient"));
        assertEquals(
                Set.of("ops@example.org"),
                Set.copyOf(given().get("/api/runs/{uid}/notifications", eastGone)
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("recipient", String.class)),
                "east's run, started and vanished, tells its own recipient only");
        // every instance shows every cluster's runs, and filters them by cluster
        assertEquals(
                Set.of(westBuild, westDeploy, westOld),
                Set.copyOf(given().queryParam("namespace", namespace)
                        .queryParam("cluster", WEST)
                        .get("/api/runs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.uid", String.class)));
        assertEquals(
                Set.of(eastBuildRun, eastDeployRun, eastGone),
                Set.copyOf(given().queryParam("namespace", namespace)
                        .queryParam("cluster", "east")
                        .get("/api/runs")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("items.uid", String.class)));
        given().queryParam("pipeline", pipeline)
                .queryParam("cluster", WEST)
                .queryParam("since", "365d") // west's one finished run finished 100 days ago
                .queryParam("by", "cluster")
                .get("/api/stats")
                .then()
                .statusCode(200)
                .body("groups.key", equalTo(List.of(WEST)))
                .body("groups[0].succeeded", equalTo(1));
        try (SseClient west = new SseClient(feed + "?namespace=" + namespace + "&cluster=" + WEST, "0-0")) {
            await().atMost(WAIT)
                    .untilAsserted(() -> assertEquals(
                            Set.of(westBuild, westDeploy, westOld),
                            west.events().stream()
                                    .map(event -> new JsonObject(event.data()).getString("uid"))
                                    .collect(Collectors.toSet())));
        }
        given().queryParam("cluster", "West")
                .get("/api/runs")
                .then()
                .statusCode(400)
                .body("title", equalTo("Invalid parameter 'cluster'"));
    }

    /** A run of no pod of this instance, recorded as a pipeline records it. */
    private String record(
            String namespace, String pod, String pipeline, RunStatus status, List<String> recipients, String cluster) {
        String uid = UUID.randomUUID().toString();
        Instant now = Instant.now();
        runs.insert(
                        Runs.attributes(uid, namespace, pod, pod, pipeline, Platform.STAGEWATCH, recipients, cluster),
                        null,
                        new Verdict(status, null, null, now, status.isTerminal() ? now : null),
                        Source.WATCH,
                        now)
                .await()
                .atMost(WAIT);
        return uid;
    }

    /** Finished, and first seen, 100 days ago: past the retention. */
    private void age(String uid) {
        pool.preparedQuery("""
                UPDATE runs SET finished_at = now() - interval '100 days', first_seen_at = now() - interval '100 days'
                WHERE uid = $1""").execute(Tuple.of(uid)).await().atMost(WAIT);
    }

    private static int attempts(String uid) {
        return given().get("/api/runs/{uid}/notifications", uid)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getInt("[0].attempts");
    }

    private static void runIs(String uid, String status, String reason, String cluster) {
        given().get("/api/runs/{uid}", uid)
                .then()
                .statusCode(200)
                .body("status", equalTo(status))
                .body("reason", equalTo(reason))
                .body("cluster", equalTo(cluster));
    }
}
