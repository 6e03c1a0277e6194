package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.pipeline.RunRecorded;
import io.stagewatch.run.RunStatus;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.ManualReconcile;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status-capture finalizer keeps a pod's real outcome from being lost while stagewatch is not watching. */
@QuarkusTest
@MockCluster
// no reconcile pass during the test: only the watch sees the pods, as it would after a restart
@TestProfile(ManualReconcile.class)
class StatusCaptureFinalizerTest {

    // a JSON patch whose test op fails makes the mock API server hang until the client times out (about 10 s);
    // the next observation then patches again
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    @Inject
    PodWatch watch;

    @Inject
    StatusCaptureFinalizer finalizer;

    @Inject
    MeterRegistry registry;

    @Test
    void unfinishedPodsAreHeldAndReleasedOnceTheirOutcomeIsRecorded() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("build"), "ci").running().build());
        await().atMost(WAIT).until(() -> finalizers(pod).contains(StatusCaptureFinalizer.NAME));
        assertEquals(
                "true", labels(pod).get(StatusCaptureFinalizer.HELD_LABEL), "a held pod can be listed by its label");

        cluster.update(pod, p -> p.succeeded());

        await().atMost(WAIT).untilAsserted(() -> runIs(pod, "SUCCEEDED", null));
        await().atMost(WAIT).until(() -> !finalizers(pod).contains(StatusCaptureFinalizer.NAME));
        assertFalse(labels(pod).containsKey(StatusCaptureFinalizer.HELD_LABEL));
    }

    @Test
    void aHeldPodThatLeftTheScopeIsReleasedByTheSweep() {
        Cluster cluster = new Cluster(client);
        // held while it was a ci pod; its stage label has since been changed to one stagewatch does not know
        Pod pod = cluster.create(
                held(Pods.workflow("ci", Pods.name("build"), "qa").running()));
        double before = forced("out-of-scope");

        finalizer.sweep();

        awaitForcedRelease(pod, "out-of-scope", before);
    }

    @Test
    void aPodWhoseDeletionWaitedLongerThanTheMaximumHoldIsReleasedWithoutItsOutcome() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("build"), "ci").running().build());
        await().atMost(WAIT).until(() -> finalizers(pod).contains(StatusCaptureFinalizer.NAME));
        double before = forced("max-hold");
        watch.stop(); // the outcome cannot be recorded (as when the database is down)
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true); // let the closing watch deliver what it had
        try {
            cluster.update(
                    pod,
                    p -> p.deletion(Instant.now().minus(Duration.ofMinutes(10)).toString(), 0L));

            finalizer.sweep();

            awaitForcedRelease(pod, "max-hold", before); // a drain never waits on stagewatch
        } finally {
            watch.start();
        }
    }

    @Test
    void aReleaseNeverTouchesAPodOfTheSameNameThatReplacedTheOneObserved() {
        Cluster cluster = new Cluster(client);
        String name = Pods.name("build");
        Pod observed = cluster.create(held(Pods.workflow("ci", name, "ci").running()));
        cluster.forceDelete(observed);
        // stagewatch may hold the pod again between the harness's edit and its deletion: it lets go once recorded
        await().atMost(WAIT)
                .until(() -> client.pods().inNamespace("ci").withName(name).get() == null);
        // a pod stagewatch does not judge (its stage is not one it knows): only the stale release could touch it here
        Pod successor = cluster.create(held(Pods.workflow("ci", name, "qa").running()));
        assertNotEquals(observed.getMetadata().getUid(), successor.getMetadata().getUid());

        String uid = observed.getMetadata().getUid();
        await().atMost(WAIT).until(() -> !finalizer.isPatching(uid)); // what the watch saw of the first pod is settled

        // the outcome of the first pod, recorded late: its release must not reach the successor
        finalizer.onRecorded(new RunRecorded(observed, RunStatus.SUCCEEDED));
        assertTrue(finalizer.isPatching(uid), "the release was sent");

        await().atMost(WAIT).until(() -> !finalizer.isPatching(uid));
        assertTrue(finalizers(successor).contains(StatusCaptureFinalizer.NAME), "the successor is still held");
        assertEquals("true", labels(successor).get(StatusCaptureFinalizer.HELD_LABEL));
    }

    /** The pod as stagewatch leaves one it holds: with its finalizer and its label. */
    static Pod held(Pods pod) {
        return pod.with(b -> b.editMetadata()
                        .addToFinalizers(StatusCaptureFinalizer.NAME)
                        .addToLabels(StatusCaptureFinalizer.HELD_LABEL, "true")
                        .endMetadata())
                .build();
    }

    /**
     * Waits until {@code pod} has neither the finalizer nor the held label and one more forced release was counted for
     * {@code why}: the scheduled sweep may be releasing it at the moment the test's sweep lists it, and a sweep leaves a
     * pod being released to whoever is releasing it.
     */
    private void awaitForcedRelease(Pod pod, String why, double before) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertFalse(finalizers(pod).contains(StatusCaptureFinalizer.NAME));
            assertFalse(labels(pod).containsKey(StatusCaptureFinalizer.HELD_LABEL));
            assertEquals(before + 1, forced(why));
        });
    }

    private double forced(String why) {
        Counter counter =
                registry.find("stagewatch.finalizer.forced").tag("why", why).counter();
        return counter == null ? 0 : counter.count();
    }

    private Map<String, String> labels(Pod pod) {
        Pod current = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
        return current == null || current.getMetadata().getLabels() == null
                ? Map.of()
                : current.getMetadata().getLabels();
    }

    @Test
    void podDeletedWhileStagewatchIsDownIsRecordedFromItsRealFinalStatus() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("build"), "post-cd").running().build());
        await().atMost(WAIT).until(() -> finalizers(pod).contains(StatusCaptureFinalizer.NAME));

        watch.stop(); // stagewatch is down
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true); // let the closing watch deliver what it had
        // the job finishes, then its pod is deleted: without the finalizer it would be gone before anyone saw it
        cluster.update(pod, p -> p.succeeded());
        cluster.update(pod, p -> p.deletion(Instant.now().plusSeconds(5).toString(), 0L));
        cluster.release(pod);

        watch.start(); // stagewatch is back

        await().atMost(WAIT).untilAsserted(() -> runIs(pod, "SUCCEEDED", null));
        await().atMost(WAIT).until(() -> !finalizers(pod).contains(StatusCaptureFinalizer.NAME));
    }

    private java.util.List<String> finalizers(Pod pod) {
        Pod current = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
        return current == null ? java.util.List.of() : current.getMetadata().getFinalizers();
    }

    private static void runIs(Pod pod, String status, String reason) {
        given().get("/api/runs/{uid}", pod.getMetadata().getUid())
                .then()
                .statusCode(200)
                .body("status", equalTo(status))
                .body("reason", equalTo(reason));
    }
}
