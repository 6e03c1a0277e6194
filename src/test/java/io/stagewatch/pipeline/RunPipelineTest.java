package io.stagewatch.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.stagewatch.kube.ReconcileLoop;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.Fixtures;
import io.stagewatch.testing.ManualReconcile;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pods written to the mock API server end as runs in PostgreSQL, read back over REST. The reconcile loop runs only when
 * a test runs it: a fixture still waiting for its image since a day long past would otherwise be timed out by the next
 * scheduled pass, before the test had read the pipeline's verdict.
 */
@QuarkusTest
@MockCluster
@TestProfile(ManualReconcile.class)
class RunPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    ReconcileLoop reconcile;

    Cluster cluster;

    @BeforeEach
    void cluster() {
        cluster = new Cluster(client);
    }

    static List<Fixtures.Fixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureEndsWithItsExpectedVerdict(Fixtures.Fixture fixture) {
        String uid = cluster.replay(fixture.pod(), "DELETED".equals(fixture.event()))
                .getMetadata()
                .getUid();
        fixture.awaitVerdict(uid, WAIT);
    }

    @Test
    void runningThenSucceededGivesTwoTransitionsAndFiftyRedeliveriesGiveNone() {
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("build"), "post-cd").running().build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runStatus(uid, "RUNNING"));
        Pod done = cluster.update(pod, p -> p.succeeded());
        await().atMost(WAIT).untilAsserted(() -> runStatus(uid, "SUCCEEDED"));
        String updatedAt = given().get("/api/runs/{uid}", uid).then().extract().path("updatedAt");

        for (int i = 0; i < 50; i++) {
            int n = i;
            cluster.update(done, p -> p.label("resync", "n" + n));
        }
        // two full reconcile passes see the pod again as well
        reconcile.reconcile().await().atMost(WAIT);
        reconcile.reconcile().await().atMost(WAIT);
        given().get("/api/runs/{uid}/transitions", uid)
                .then()
                .statusCode(200)
                .body("", hasSize(2))
                .body("[0].from", nullValue())
                .body("[0].to", equalTo("RUNNING"))
                .body("[1].from", equalTo("RUNNING"))
                .body("[1].to", equalTo("SUCCEEDED"))
                .body("[1].source", equalTo("WATCH"));
        // no write at all for the redeliveries: the run row was not touched
        given().get("/api/runs/{uid}", uid).then().body("updatedAt", equalTo(updatedAt));
    }

    @Test
    void aPendingRunShowsWhyItWaitsWithoutATransitionOrAMail() {
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("build"), "ci").pending().build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> runStatus(uid, "PENDING"));
        given().get("/api/runs/{uid}", uid).then().body("message", nullValue());

        pod = cluster.update(pod, p -> p.container("main", Pods.waiting("ImagePullBackOff")));

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .body("status", equalTo("PENDING"))
                        .body("message", equalTo("container main: ImagePullBackOff")));
        given().get("/api/runs/{uid}/transitions", uid).then().body("", hasSize(1));
        given().get("/api/runs/{uid}/notifications", uid).then().body("", hasSize(0));

        cluster.update(pod, p -> p.running());
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .body("status", equalTo("RUNNING"))
                        .body("message", nullValue()));
        given().get("/api/runs/{uid}/transitions", uid).then().body("", hasSize(2));
    }

    @Test
    void failedFollowedByStaleSucceededStaysFailedAndIsCountedAsRejected() {
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci").build());
        String uid = pod.getMetadata().getUid();
        cluster.update(pod, p -> p.running());
        cluster.update(pod, p -> p.failed(2));
        await().atMost(WAIT).untilAsserted(() -> runStatus(uid, "FAILED"));
        double before = rejected("FAILED", "SUCCEEDED");

        cluster.update(pod, p -> p.succeeded());

        await().atMost(WAIT).until(() -> rejected("FAILED", "SUCCEEDED") > before);
        given().get("/api/runs/{uid}", uid)
                .then()
                .body("status", equalTo("FAILED"))
                .body("reason", equalTo("EXIT_CODE"));
    }

    @Test
    void runningPodDeletedGracefullyFailsAsPodDeleted() {
        Pod pod = cluster.create(Pods.workflow("ci", Pods.name("build"), "ci").build());
        String uid = pod.getMetadata().getUid();
        pod = cluster.update(pod, p -> p.running());
        await().atMost(WAIT).untilAsserted(() -> runStatus(uid, "RUNNING"));

        cluster.release(cluster.requestDeletion(pod, 30));

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .body("status", equalTo("FAILED"))
                        .body("cause", equalTo("INFRASTRUCTURE"))
                        .body("reason", equalTo("POD_DELETED")));
    }

    @Test
    void runningPodForceDeletedFailsAsPodDeleted() {
        Pod pod =
                cluster.create(Pods.workflow("ci", Pods.name("build"), "pre-cd").build());
        String uid = pod.getMetadata().getUid();
        pod = cluster.update(pod, p -> p.running());
        await().atMost(WAIT).untilAsserted(() -> runStatus(uid, "RUNNING"));

        cluster.forceDelete(pod);

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .body("status", equalTo("FAILED"))
                        .body("reason", equalTo("POD_DELETED")));
    }

    @Test
    void unknownRunIsANotFoundProblem() {
        given().get("/api/runs/{uid}", "no-such-uid")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not found"));
    }

    private static void runStatus(String uid, String status) {
        given().accept(ContentType.JSON)
                .get("/api/runs/{uid}", uid)
                .then()
                .statusCode(200)
                .body("status", equalTo(status));
    }

    private double rejected(String from, String to) {
        Counter counter = registry.find("stagewatch.transitions.rejected")
                .tags("from", from, "to", to)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
