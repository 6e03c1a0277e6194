package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.Pods;

/** The reconcile loop catches what the watch cannot: pods gone while nobody watched, pods that never start. */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ReconcileLoopTest.ShortTimeouts.class)
class ReconcileLoopTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stagewatch.reconcile.interval", "1s", "stagewatch.reconcile.pending-timeout", "4s");
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
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci").running().build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));

        watch.stop(); // the service is down: the deletion reaches nobody
        cluster.forceDelete(pod);

        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "FAILED", "POD_VANISHED"));
        // and the loop restarted the informer that was not watching
        await().atMost(WAIT).until(watch::isWatching);
    }

    @Test
    void podPendingLongerThanTheTimeoutFailsAsStartTimeout() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci").build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "PENDING", null));

        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "FAILED", "START_TIMEOUT"));
        given().get("/api/runs/{uid}/transitions", uid).then().body("[1].source", equalTo("RECONCILE"))
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

    private static void runIs(String uid, String status, String reason) {
        given().get("/api/runs/{uid}", uid).then().statusCode(200).body("status", equalTo(status))
                .body("reason", equalTo(reason));
    }
}
