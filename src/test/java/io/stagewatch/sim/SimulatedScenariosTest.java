package io.stagewatch.sim;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stagewatch.sim.SimulatedCluster.Outcome;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every outcome the demo's simulated cluster plays, played the same way (same pod states, same API calls, no pauses)
 * against this test's mock API server, ends with the verdict {@link Outcome} prescribes, read over the REST API; and
 * the verdict stays when the finished pod is deleted later and the reconcile loop lists the cluster again.
 *
 * <p>
 * Not played: a pod that vanishes while stagewatch is down (POD_VANISHED). The watch cannot be stopped from here
 * ({@code PodWatch.stop()} is package-private in {@code io.stagewatch.kube}); {@code ReconcileLoopTest} covers it.
 */
@QuarkusTest
@MockCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatedScenariosTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The pods played, by outcome, for the second test. */
    private static final Map<Outcome, Pod> PLAYED = new EnumMap<>(Outcome.class);

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Outcome.class)
    @Order(1)
    void eachOutcomeEndsWithItsVerdict(Outcome outcome) throws InterruptedException {
        // no notify annotation: no mail is queued (this test runs no SMTP server)
        SimulatedCluster cluster = new SimulatedCluster(client, null, 0, null);
        Pod pod = cluster.play(outcome);
        String uid = pod.getMetadata().getUid();
        synchronized (PLAYED) {
            PLAYED.put(outcome, pod);
        }

        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> terminal(uid));
        assertEquals(
                outcome.verdict(),
                verdict(uid),
                outcome + " (pod " + pod.getMetadata().getName() + ")");
        assertOneTerminalTransition(outcome, uid);
    }

    @Test
    @Order(2)
    void verdictsStayWhenTheFinishedPodsAreDeletedAndListedAgain() {
        Map<Outcome, Pod> played;
        synchronized (PLAYED) {
            played = new EnumMap<>(PLAYED);
        }
        assertEquals(List.of(Outcome.values()), List.copyOf(played.keySet()), "every outcome was played first");
        Cluster cluster = new Cluster(client);
        played.values().forEach(cluster::expire);

        // two reconcile passes: at least one LIST began after every deletion was requested. (Not awaited: the pods'
        // disappearance, which stagewatch's status-capture finalizer may hold up; the verdict is what counts.)
        double passes = reconcilePasses();
        await().atMost(WAIT).until(() -> reconcilePasses() >= passes + 2);

        played.forEach((outcome, pod) -> {
            String uid = pod.getMetadata().getUid();
            assertEquals(outcome.verdict(), verdict(uid), outcome + " after its pod was deleted");
            assertOneTerminalTransition(outcome, uid);
        });
    }

    private static boolean terminal(String uid) {
        var response = given().get("/api/runs/{uid}", uid);
        if (response.statusCode() == 404) {
            return false;
        }
        String status = response.then().statusCode(200).extract().jsonPath().getString("status");
        return "SUCCEEDED".equals(status) || "FAILED".equals(status);
    }

    private static String verdict(String uid) {
        JsonPath run = given().get("/api/runs/{uid}", uid)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return Outcome.verdict(run.getString("status"), run.getString("cause"), run.getString("reason"));
    }

    /** The run's history ends with its one terminal transition: nothing was changed or added after the verdict. */
    private static void assertOneTerminalTransition(Outcome outcome, String uid) {
        JsonPath transitions = given().get("/api/runs/{uid}/transitions", uid)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> to = transitions.getList("to");
        assertEquals(
                1,
                to.stream()
                        .filter(s -> s.equals("SUCCEEDED") || s.equals("FAILED"))
                        .count(),
                outcome + ": one terminal transition in " + to);
        assertEquals(
                outcome.status.name(), to.get(to.size() - 1), outcome + ": the last transition is the verdict, " + to);
    }

    private double reconcilePasses() {
        var timer = registry.find("stagewatch.reconcile.duration").timer();
        return timer == null ? 0 : timer.count();
    }
}
