package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.ManualReconcile;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A reconcile pass publishes only the pods whose version the pipeline has not decided on: an unchanged pod costs
 * no observation, and a change whose watch event was lost is still caught by the next pass. Passes run when the test
 * calls them, and nothing restarts the stopped watch meanwhile.
 */
@QuarkusTest
@MockCluster
@TestProfile(ManualReconcile.class)
class ReconcileUnchangedPodsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Inject
    PodWatch watch;

    @Inject
    ReconcileLoop reconcile;

    @Inject
    MeterRegistry registry;

    @Test
    void aPassSkipsAPodAlreadyDecidedButCatchesTheChangeWhoseWatchEventWasLost() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("build"), "ci").running().build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "RUNNING", null));

        // decided in this version (the finalizer's patch, if any, has come back through the watch): not published again
        await().atMost(WAIT).untilAsserted(() -> {
            double unchangedBefore = count("stagewatch.reconcile.unchanged");
            reconcile.reconcile().await().atMost(WAIT);
            assertTrue(
                    count("stagewatch.reconcile.unchanged") > unchangedBefore, "the unchanged pod was published again");
        });

        watch.stop(); // the watch misses the pod's end
        cluster.update(pod, running -> running.succeeded());
        reconcile.reconcile().await().atMost(WAIT);

        await().atMost(WAIT).untilAsserted(() -> runIs(uid, "SUCCEEDED", "RECONCILE"));
        watch.start();
    }

    private double count(String counter) {
        return registry.find(counter).counter().count();
    }

    /** The run's status, and the source of its latest transition unless null. */
    private static void runIs(String uid, String status, String source) {
        given().get("/api/runs/{uid}", uid).then().statusCode(200).body("status", equalTo(status));
        if (source != null) {
            given().get("/api/runs/{uid}/transitions", uid)
                    .then()
                    .statusCode(200)
                    .body("[-1].source", equalTo(source));
        }
    }
}
