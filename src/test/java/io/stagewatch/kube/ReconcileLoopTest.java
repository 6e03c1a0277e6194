package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static io.stagewatch.testing.Pods.exited;
import static io.stagewatch.testing.Pods.runningSince;
import static io.stagewatch.testing.Pods.waiting;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconcile loop catches what the watch cannot: pods gone while nobody watched, pods that never start. */
@QuarkusTest
@MockCluster
@TestProfile(ReconcileLoopTest.ShortTimeouts.class)
class ReconcileLoopTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "stagewatch.reconcile.interval",
                    "1s",
                    "stagewatch.reconcile.pending-timeout",
                    "4s",
                    "stagewatch.reconcile.watchdog-interval",
                    "1s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Inject
    PodWatch watch;

    @Test
    void podDeletedWhileNobodyWatchedVanishesWithinOneIntervalOfTheRestart() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("build"), "ci").running().build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));

        watch.stop(); // the service is down: the deletion reaches nobody
        cluster.forceDelete(pod);

        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "FAILED", "POD_VANISHED"));
        // and the watchdog restarted the informer that was not watching
        await().atMost(WAIT).until(watch::isWatching);
    }

    @Test
    void aSuccessorOfTheSameNameDoesNotHideAVanishedPod() {
        Cluster cluster = new Cluster(client);
        String name = Pods.name("build");
        Pod pod = cluster.create(Pods.workflow("ci", name, "ci").running().build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));

        watch.stop(); // the deletion reaches nobody, and a new pod of the same name takes its place
        cluster.forceDelete(pod);
        Pod successor = cluster.create(Pods.workflow("ci", name, "ci").running().build());
        watch.start();
        await().atMost(WAIT).until(watch::isWatching);

        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "FAILED", "POD_VANISHED"));
        await().atMost(WAIT).untilAsserted(() -> runIs(successor.getMetadata().getUid(), "RUNNING", null));
    }

    @Test
    void podPendingLongerThanTheTimeoutFailsAsStartTimeout() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci").build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "PENDING", null));

        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "FAILED", "START_TIMEOUT"));
        given().get("/api/runs/{uid}/transitions", uid)
                .then()
                .body("[1].source", equalTo("RECONCILE"))
                .body("[1].cause", equalTo("WORKLOAD"));
    }

    @Test
    void runningPodIsNeverTimedOut() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci").build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "PENDING", null));
        cluster.update(pod, p -> p.running());
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));

        // well past the timeout, with several reconcile passes in between
        await().pollDelay(Duration.ofSeconds(6)).atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));
    }

    @Test
    void runWhoseInitContainerFinishedButWhoseImageCannotBePulledTimesOutNamingWhy() {
        Cluster cluster = new Cluster(client);
        Instant now = Instant.now();
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci")
                .initContainer(
                        "clone", exited(0, "Completed", now.minusSeconds(30).toString(), now.toString()))
                .container("main", waiting("ImagePullBackOff"))
                .build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null)); // the clone ran: the run started

        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "FAILED", "START_TIMEOUT"));
        given().get("/api/runs/{uid}", uid).then().body("message", containsString("ImagePullBackOff"));
    }

    @Test
    void initContainerRunningLongerThanTheTimeoutIsNeverTimedOut() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci")
                .initContainer("clone", runningSince(Instant.now().toString()))
                .container("main", waiting("PodInitializing"))
                .build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));

        // a long git clone, well past the timeout, with several reconcile passes in between
        await().pollDelay(Duration.ofSeconds(6)).atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));
    }

    private static void runIs(String uid, String status, String reason) {
        given().get("/api/runs/{uid}", uid)
                .then()
                .statusCode(200)
                .body("status", equalTo(status))
                .body("reason", equalTo(reason));
    }
}
