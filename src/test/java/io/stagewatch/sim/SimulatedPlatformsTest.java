package io.stagewatch.sim;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.stagewatch.sim.SimulatedCluster.Outcome;
import io.stagewatch.sim.SimulatedCluster.SimPlatform;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.MockCluster;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code make demo SIM_PLATFORM=devtron|argo|tekton|mixed} plays: every outcome, on the pods of every platform,
 * ends with the verdict {@link Outcome} prescribes, recorded as a run of that platform, with every profile enabled.
 */
@QuarkusTest
@MockCluster
@TestProfile(AllProfiles.class)
class SimulatedPlatformsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient client;

    static Stream<Arguments> plays() {
        return Stream.of(SimPlatform.DEVTRON, SimPlatform.ARGO, SimPlatform.TEKTON)
                .flatMap(platform -> Arrays.stream(Outcome.values()).map(outcome -> Arguments.of(platform, outcome)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("plays")
    void eachOutcomeEndsWithItsVerdictOnEveryPlatform(SimPlatform platform, Outcome outcome)
            throws InterruptedException {
        Pod pod = new SimulatedCluster(client, null, 0, null).play(outcome, platform);
        String uid = pod.getMetadata().getUid();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonPath run = given().get("/api/runs/{uid}", uid)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertEquals(
                    outcome.verdict(),
                    Outcome.verdict(run.getString("status"), run.getString("cause"), run.getString("reason")),
                    platform + " " + outcome + " (pod " + pod.getMetadata().getName() + ")");
        });
        JsonPath run = given().get("/api/runs/{uid}", uid).then().extract().jsonPath();
        assertEquals(platform.name().toLowerCase(Locale.ROOT), run.getString("platform"));
        assertEquals(
                stage(pod.getMetadata().getName()),
                run.getString("stage"),
                "the stage, from the platform's own place for it (Devtron's: CI_CD_EVENT)");
    }

    /** The stage the simulator played, from the pod's name: {@code <pipeline>-<stage>-<number>-<suffix>}. */
    private static String stage(String name) {
        String pipeline = SimulatedCluster.PIPELINES.stream()
                .filter(p -> name.startsWith(p + "-"))
                .findFirst()
                .orElseThrow();
        String rest = name.substring(pipeline.length() + 1);
        String stage = rest.substring(0, rest.lastIndexOf('-', rest.lastIndexOf('-') - 1));
        return stage.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
