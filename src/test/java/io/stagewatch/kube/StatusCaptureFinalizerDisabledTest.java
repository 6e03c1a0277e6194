package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.NoBackgroundWork;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Switched off, the finalizer lets go of every pod an earlier run of stagewatch held, and holds no new one. */
@QuarkusTest
@MockCluster
@TestProfile(NoBackgroundWork.class)
class StatusCaptureFinalizerDisabledTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Inject
    StatusCaptureFinalizer finalizer;

    @Inject
    MeterRegistry registry;

    @Test
    void everyPodStillHeldIsReleasedAndNoNewOneIsHeld() {
        Cluster cluster = new Cluster(client);
        Pod stillHeld = cluster.create(StatusCaptureFinalizerTest.held(
                Pods.workflow("ci", Pods.name("old"), "ci").running()));
        Pod fresh = cluster.create(
                Pods.workflow("ci", Pods.name("new"), "ci").running().build());
        double before = forced();

        finalizer.sweep(); // what the startup pass does

        assertFalse(finalizers(stillHeld).contains(StatusCaptureFinalizer.NAME));
        assertEquals(before + 1, forced());
        await().atMost(WAIT)
                .untilAsserted(
                        () -> given().get("/api/runs/{uid}", fresh.getMetadata().getUid())
                                .then()
                                .statusCode(200)
                                .body("status", equalTo("RUNNING")));
        assertFalse(finalizers(fresh).contains(StatusCaptureFinalizer.NAME));
    }

    private double forced() {
        Counter counter = registry.find("stagewatch.finalizer.forced")
                .tag("why", "disabled")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> finalizers(Pod pod) {
        Pod current = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
        return current == null ? List.of() : current.getMetadata().getFinalizers();
    }
}
