package io.stagewatch.kube;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.Fixtures;
import io.stagewatch.testing.Fixtures.Fixture;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The platforms' pods, as their controllers make them, through the mock API server, the informers of every enabled
 * profile, the pipeline and PostgreSQL, read back over REST.
 */
@QuarkusTest
@MockCluster
@TestProfile(AllProfiles.class)
class PlatformsPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Every secret in the fixtures' CI_CD_EVENT and env values starts so. */
    private static final String SECRET = "SECRET";

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @Inject
    PodWatch watch;

    Cluster cluster;
    /** What the service logs: everything but the mock API server's own request log (the test harness, not stagewatch). */
    final Queue<String> logged = new ConcurrentLinkedQueue<>();

    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String logger = String.valueOf(record.getLoggerName());
            if (logger.startsWith("io.fabric8.mockwebserver") || logger.startsWith("okhttp3")) {
                return;
            }
            logged.add((record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage())
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void cluster() {
        cluster = new Cluster(client);
        java.util.logging.Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        java.util.logging.Logger.getLogger("").removeHandler(capture);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stagewatch.testing.Fixtures#platforms")
    void everyPlatformFixtureEndsAsItsRunOrIsSkipped(Fixture fixture) {
        JsonNode expected = fixture.expected();
        double invalid = invalid(expected.path("skipped").asText());
        String uid = cluster.replay(fixture.pod(), "DELETED".equals(fixture.event()))
                .getMetadata()
                .getUid();

        if (expected.has("skipped")) {
            if (!"not-claimed".equals(expected.get("skipped").asText())) {
                await().atMost(WAIT).until(() -> invalid(expected.get("skipped").asText()) > invalid);
            }
            double passes = reconcilePasses();
            await().atMost(WAIT).until(() -> reconcilePasses() >= passes + 2);
            given().get("/api/runs/{uid}", uid).then().statusCode(404);
            return;
        }
        fixture.awaitVerdict(uid, WAIT);
        given().get("/api/runs/{uid}", uid)
                .then()
                .body("platform", equalTo(expected.get("platform").asText()))
                .body("stage", equalTo(expected.get("stage").asText()))
                .body("workflow", equalTo(expected.get("workflow").asText()))
                .body("pipeline", equalTo(text(expected, "pipeline")))
                .body("app", equalTo(text(expected, "app")))
                .body("environment", equalTo(text(expected, "environment")));
    }

    @Test
    void noSecretOfDevtronsEventReachesTheDatabaseTheLogsTheApiOrTheInformerCache() {
        List<Fixture> devtron = Fixtures.platforms().stream()
                .filter(f -> f.file().startsWith("devtron-"))
                .toList();
        List<Pod> played =
                devtron.stream().map(f -> cluster.replay(f.pod(), false)).toList();
        List<String> recorded = played.stream()
                .filter(pod -> !skipped(pod, devtron))
                .map(pod -> pod.getMetadata().getUid())
                .toList();
        await().atMost(WAIT)
                .untilAsserted(() -> recorded.forEach(
                        uid -> given().get("/api/runs/{uid}", uid).then().statusCode(200)));
        double passes = reconcilePasses();
        await().atMost(WAIT).until(() -> reconcilePasses() >= passes + 2); // the LISTs saw every pod too

        for (String table : List.of("runs", "transitions", "outbox")) {
            long rows = pool.preparedQuery("SELECT count(*) FROM " + table + " t WHERE t::text LIKE $1")
                    .execute(Tuple.of("%" + SECRET + "%"))
                    .await()
                    .indefinitely()
                    .iterator()
                    .next()
                    .getLong(0);
            assertEquals(0, rows, "rows of " + table + " holding a secret");
        }
        String api = given().queryParam("platform", "devtron")
                .queryParam("limit", "500")
                .get("/api/runs")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(api.contains("payments-api"), "the whitelisted fields are there");
        assertFalse(api.contains(SECRET), api);
        for (String uid : recorded) {
            assertFalse(
                    given().get("/api/runs/{uid}/transitions", uid).asString().contains(SECRET));
        }
        for (Pod pod : played) {
            List<Pod> cached = watch.cached(
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    pod.getMetadata().getUid());
            assertFalse(
                    cached.isEmpty(),
                    "the informer keeps the pod " + pod.getMetadata().getName());
            cached.forEach(slim -> assertFalse(slim.toString().contains(SECRET), slim.toString()));
        }
        assertTrue(logged.stream().anyMatch(line -> line.contains("CI_CD_EVENT")), "the skipped pods were logged");
        logged.forEach(line -> assertFalse(line.contains(SECRET), line));
    }

    @Test
    void aTaskRunWhosePodTektonRecreatedShowsBothAttemptsEachWithItsOwnStatus() {
        Pod first = fixture("tekton-08-force-deleted");
        String name = Pods.name("payments-build-run-x7k2p-build-pod");
        Pod running = cluster.create(new PodBuilder(first)
                .editMetadata()
                .withName(name)
                .withUid(null)
                .withDeletionTimestamp(null)
                .withDeletionGracePeriodSeconds(null)
                .endMetadata()
                .build());
        await().atMost(WAIT)
                .untilAsserted(() -> given().get(
                                "/api/runs/{uid}", running.getMetadata().getUid())
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("RUNNING")));
        cluster.forceDelete(running);
        // Tekton creates the pod again once the old one is gone (stagewatch's finalizer holds it until recorded)
        await().atMost(WAIT)
                .until(() -> client.pods()
                                .inNamespace(running.getMetadata().getNamespace())
                                .withName(name)
                                .get()
                        == null);
        Pod second = cluster.create(new PodBuilder(fixture("tekton-01-success"))
                .editMetadata()
                .withName(name)
                .withUid(null)
                .withLabels(first.getMetadata().getLabels())
                .endMetadata()
                .build());

        await().atMost(WAIT)
                .untilAsserted(() -> given().get(
                                "/api/runs/{uid}", second.getMetadata().getUid())
                        .then()
                        .body("status", equalTo("SUCCEEDED")));
        await().atMost(WAIT)
                .untilAsserted(() -> given().get(
                                "/api/runs/{uid}", running.getMetadata().getUid())
                        .then()
                        .body("status", equalTo("FAILED"))
                        .body("reason", equalTo("POD_DELETED")));
        given().queryParam("platform", "tekton")
                .queryParam("workflow", "payments-build-run-x7k2p")
                .queryParam("limit", "500")
                .get("/api/runs")
                .then()
                .statusCode(200)
                .body("items.findAll { it.pod == '" + name + "' }", hasSize(2));
    }

    @Test
    void runsAreListedByPlatform() {
        String argo =
                cluster.replay(fixture("argo-01-success"), false).getMetadata().getUid();
        String job =
                cluster.replay(fixture("job-01-success"), false).getMetadata().getUid();
        await().atMost(WAIT)
                .untilAsserted(() -> List.of(argo, job)
                        .forEach(uid ->
                                given().get("/api/runs/{uid}", uid).then().body("status", equalTo("SUCCEEDED"))));

        ValidatableResponse argoRuns = given().queryParam("platform", "ARGO")
                .queryParam("limit", "500")
                .get("/api/runs")
                .then()
                .statusCode(200)
                .body("items.platform", everyItem(equalTo("argo")));
        assertTrue(argoRuns.extract().jsonPath().getList("items.uid").contains(argo));
        assertFalse(argoRuns.extract().jsonPath().getList("items.uid").contains(job));
        given().queryParam("platform", "gitlab")
                .get("/api/runs")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("title", equalTo("Invalid parameter 'platform'"));
    }

    @Test
    void aRuleThatNamesPlatformsQueuesMailForRunsOfThosePlatformsOnly() {
        String recipient = Pods.name("argo-oncall") + "@example.org";
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "argo only",
                        "pipeline",
                        "*",
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("SUCCEEDED"),
                        "recipients",
                        List.of(recipient),
                        "platforms",
                        List.of("argo")))
                .post("/api/notification-rules")
                .then()
                .statusCode(201)
                .body("platforms", equalTo(List.of("argo")));
        String argo =
                cluster.replay(fixture("argo-01-success"), false).getMetadata().getUid();
        String job =
                cluster.replay(fixture("job-01-success"), false).getMetadata().getUid();

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}/notifications", argo)
                        .then()
                        .body("recipient", equalTo(List.of(recipient))));
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/runs/{uid}", job).then().body("status", equalTo("SUCCEEDED")));
        given().get("/api/runs/{uid}/notifications", job)
                .then()
                .body("recipient", everyItem(org.hamcrest.Matchers.not(equalTo(recipient))));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "bad",
                        "pipeline",
                        "*",
                        "stages",
                        List.of("CI"),
                        "events",
                        List.of("SUCCEEDED"),
                        "recipients",
                        List.of(recipient),
                        "platforms",
                        List.of("gitlab")))
                .post("/api/notification-rules")
                .then()
                .statusCode(400)
                .body("detail", containsString("'gitlab'"));
    }

    private static Pod fixture(String name) {
        return Fixtures.platforms().stream()
                .filter(f -> f.file().equals(name + ".json"))
                .findFirst()
                .orElseThrow()
                .pod();
    }

    /** True when the fixture the pod was played from is skipped, not recorded. */
    private static boolean skipped(Pod pod, List<Fixture> fixtures) {
        return fixtures.stream()
                .filter(f -> pod.getMetadata()
                        .getName()
                        .startsWith(f.pod().getMetadata().getName() + "-"))
                .anyMatch(f -> f.expected().has("skipped"));
    }

    private double invalid(String problem) {
        Counter counter = registry.find("stagewatch.observations.invalid")
                .tag("problem", problem)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double reconcilePasses() {
        var timer = registry.find("stagewatch.reconcile.duration").timer();
        return timer == null ? 0 : timer.count();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
