package io.stagewatch.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.stagewatch.run.ClusterText;
import io.stagewatch.run.Source;
import io.stagewatch.testing.DirtyPods;
import io.stagewatch.testing.Fixtures.Fixture;
import io.stagewatch.testing.ManualReconcile;
import io.stagewatch.testing.MockCluster;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

/**
 * Dirty pods (jqwik: the fixtures with arbitrary text, {@link DirtyPods}) through the real pipeline into PostgreSQL:
 * every one is recorded with its clean twin's verdict, and the API shows it, with safe text. A bounded number of tries,
 * so that the suite stays fast. No reconcile pass while they are decided: the pods are published on the bus, and are in
 * no cluster.
 */
@QuarkusTest
@MockCluster
@TestProfile(ManualReconcile.class)
class DirtyPodsPipelineTest {

    private static final int TRIES = 50;

    @Inject
    ObservationBus bus;

    @Inject
    MeterRegistry registry;

    @Test
    void everyDirtyPodIsRecordedWithItsCleanTwinsVerdictAndShownSafe() {
        // the pass the application runs as it starts (the scheduler's first, then none for an hour) would judge these
        // pods, in no cluster, vanished: it is over first (a pass of the test's own did not wait for it, and a start
        // slow enough let it run over the published runs)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Timer passes = registry.find("stagewatch.reconcile.duration").timer();
            return passes != null && passes.count() >= 1;
        });
        List<Tuple2<Fixture, String>> tries = Combinators.combine(DirtyPods.fixtures(), DirtyPods.text())
                .as(Tuple::of)
                .sampleStream()
                .limit(TRIES)
                .toList();
        List<Tuple2<Fixture, Pod>> published = tries.stream()
                .map(sample -> {
                    Pod pod = DirtyPods.dirty(sample.get1().pod(), sample.get2());
                    pod.getMetadata().setUid(UUID.randomUUID().toString());
                    bus.publish(new Observation.PodSeen(
                            Source.WATCH, pod, "DELETED".equals(sample.get1().event())));
                    return Tuple.of(sample.get1(), pod);
                })
                .toList();
        for (Tuple2<Fixture, Pod> run : published) {
            Fixture fixture = run.get1();
            String uid = run.get2().getMetadata().getUid();
            fixture.awaitVerdict(uid, Duration.ofSeconds(30));
            JsonPath shown =
                    given().get("/api/runs/{uid}", uid).then().extract().jsonPath();
            for (String field : List.of("pipeline", "message")) {
                String text = shown.getString(field);
                assertTrue(text == null || ClusterText.isClean(text), field + " of " + fixture.file() + " is safe");
            }
            String pipeline =
                    ClusterText.name(run.get2().getMetadata().getLabels().get(DirtyPods.PIPELINE));
            if (pipeline != null && !pipeline.isBlank()) {
                assertTrue(listed(pipeline).contains(uid), uid + " is listed under its pipeline " + pipeline);
            }
        }
    }

    /**
     * Every run the API lists under {@code pipeline}, page after page: the fixtures' pipelines and creation times are
     * those of the other tests' runs of the same fixtures in the shared application, which may fill the first page.
     */
    private static Set<String> listed(String pipeline) {
        Set<String> uids = new HashSet<>();
        String cursor = null;
        do {
            JsonPath page = given().queryParam("pipeline", pipeline)
                    .queryParam("limit", 500)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get("/api/runs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            uids.addAll(page.getList("items.uid", String.class));
            cursor = page.getString("next");
        } while (cursor != null);
        return uids;
    }
}
