package io.stagewatch.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A bad pod is skipped with a warning and a counter; the stream goes on and what is recorded stays. */
@QuarkusTest
@MockCluster
class BadInputTest {

    /** The management interface's root, /q/ (quarkus.management.*): health, metrics and OpenAPI are served there only. */
    @TestHTTPResource(management = true)
    String management;

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    ObservationBus bus;

    @Test
    void badPodsAreCountedAndSkippedWhileGoodOnesAreRecorded() {
        Cluster cluster = new Cluster(client);
        Pod recorded = cluster.create(
                Pods.workflow("ci", Pods.name("good"), "ci").running().build());
        await().atMost(WAIT)
                .untilAsserted(() -> given().get(
                                "/api/runs/{uid}", recorded.getMetadata().getUid())
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("RUNNING")));
        double unknownStage = invalid("unknown-stage");
        double missingStatus = invalid("missing-status");
        double badTimestamp = invalid("bad-timestamp");

        Pod nightly = cluster.create(
                Pods.workflow("ci", Pods.name("nightly"), "nightly").build());
        Pod noStatus = cluster.create(
                Pods.workflow("ci", Pods.name("bare"), "ci").withoutStatus().build());
        Pod odd = Pods.workflow("ci", Pods.name("odd"), "ci").succeeded().build();
        odd.getStatus().getContainerStatuses().get(0).getState().getTerminated().setFinishedAt("yesterday");
        Pod badTime = cluster.create(odd);
        // a malformed update of a run already recorded: skipped, and the run keeps what it had
        cluster.edit(recorded, p -> {
            p.getStatus().getContainerStatuses().get(0).getState().getRunning().setStartedAt("not a time");
            return p;
        });
        Pod after = cluster.create(
                Pods.workflow("ci", Pods.name("after"), "pre-cd").succeeded().build());

        await().atMost(WAIT)
                .untilAsserted(
                        () -> given().get("/api/runs/{uid}", after.getMetadata().getUid())
                                .then()
                                .statusCode(200)
                                .body("status", equalTo("SUCCEEDED")));
        await().atMost(WAIT)
                .until(() -> invalid("unknown-stage") > unknownStage
                        && invalid("missing-status") > missingStatus
                        && invalid("bad-timestamp") > badTimestamp);
        for (Pod skipped : new Pod[] {nightly, noStatus, badTime}) {
            given().get("/api/runs/{uid}", skipped.getMetadata().getUid())
                    .then()
                    .statusCode(404);
        }
        given().get("/api/runs/{uid}", recorded.getMetadata().getUid())
                .then()
                .statusCode(200)
                .body("status", equalTo("RUNNING"));
    }

    @Test
    void aPodThatMakesTheDecisionFailUnexpectedlyIsSkippedAndThePodsAfterItAreStillRecorded() {
        Cluster cluster = new Cluster(client);
        double failedBefore = failed("IllegalStateException");
        // a pod object that fails where nothing could have foreseen it: a bug met by one observation
        Pod exploding = new Pod() {
            @Override
            public PodStatus getStatus() {
                throw new IllegalStateException("boom");
            }
        };
        exploding.setMetadata(
                Pods.workflow("ci", Pods.name("odd"), "ci").build().getMetadata());
        bus.publish(new Observation.PodSeen(Source.WATCH, exploding, false));
        Pod after = cluster.create(
                Pods.workflow("ci", Pods.name("after"), "ci").succeeded().build());

        await().atMost(WAIT)
                .untilAsserted(
                        () -> given().get("/api/runs/{uid}", after.getMetadata().getUid())
                                .then()
                                .statusCode(200)
                                .body("status", equalTo("SUCCEEDED")));
        await().atMost(WAIT).until(() -> failed("IllegalStateException") > failedBefore);
        given().get("/api/runs/{uid}", exploding.getMetadata().getUid()).then().statusCode(404);
        given().get(management + "health/live").then().statusCode(200);
    }

    @Test
    void aFailureThatIsNotTransientIsCountedOncePerRunAndTheNextRecordableObservationDecidesTheRun() {
        Cluster cluster = new Cluster(client);
        Pod pod = cluster.create(
                Pods.workflow("ci", Pods.name("refused"), "ci").running().build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("RUNNING")));
        double failedBefore = failed("PgException");
        double retriesBefore = retries();
        // a judgement the database refuses at every attempt (PostgreSQL stores no NUL in text), as at every pass
        Verdict refused = Verdict.failed(FailureReason.POD_VANISHED, "vanished\u0000");
        bus.publish(new Observation.RunJudged(uid, refused));
        await().atMost(WAIT).until(() -> failed("PgException") > failedBefore);
        bus.publish(new Observation.RunJudged(uid, refused));
        await().atMost(WAIT).until(() -> retries() >= retriesBefore + 6);
        // the next judgement that can be recorded decides the run, after the refused one in the run's lane
        bus.publish(new Observation.RunJudged(uid, Verdict.failed(FailureReason.POD_VANISHED, "vanished")));
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("FAILED"))
                        .body("message", equalTo("vanished")));
        assertEquals(failedBefore + 1, failed("PgException"), "counted once for the run, not at every pass");
    }

    private double retries() {
        return registry.get("stagewatch.persist.retries").counter().count();
    }

    private double failed(String problem) {
        Counter counter = registry.find("stagewatch.observations.failed")
                .tag("problem", problem)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double invalid(String problem) {
        Counter counter = registry.find("stagewatch.observations.invalid")
                .tag("problem", problem)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
