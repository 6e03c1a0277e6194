package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The run listing: filters, newest first, keyset pages, the reason in the server's words, each run's notification
 * counts, and problems for bad requests.
 */
@QuarkusTest
@MockCluster
class RunResourceTest {

    @Inject
    KubernetesClient client;

    @Inject
    Pool pool;

    @Test
    void listsFilteredRunsNewestFirstInKeysetPages() {
        Cluster cluster = new Cluster(client);
        String namespace = "list-" + Pods.name("ns");
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            var pod = Pods.workflow(namespace, Pods.name("list"), i % 2 == 0 ? "ci" : "post-cd")
                    .succeeded()
                    .build();
            uids.add(cluster.create(pod).getMetadata().getUid());
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().queryParam("namespace", namespace)
                        .get("/api/runs")
                        .then()
                        .statusCode(200)
                        .body("items", hasSize(7)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("namespace", namespace).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page =
                    request.get("/api/runs").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.uid"));
            cursor = page.getString("next");
        } while (cursor != null);
        assertEquals(7, seen.size());
        assertEquals(7, seen.stream().distinct().count(), "no run on two pages");
        assertEquals(uids.stream().sorted().toList(), seen.stream().sorted().toList());

        given().queryParam("namespace", namespace)
                .queryParam("stage", "POST_CD")
                .get("/api/runs")
                .then()
                .statusCode(200)
                .body("items", hasSize(3))
                .body("items.stage", everyItem(equalTo("POST_CD")))
                .body("next", nullValue());
        given().queryParam("namespace", namespace)
                .queryParam("status", "SUCCEEDED")
                .queryParam("stage", "ci")
                .get("/api/runs")
                .then()
                .statusCode(200)
                .body("items", hasSize(4))
                .body("items[0].pipeline", equalTo("payments-api"))
                .body("items[0].cause", nullValue())
                .body("items[0].finishedAt", notNullValue());
    }

    @Test
    void aRunIsOneFlatObjectWithItsNamesAsStringsBetweenPodAndStage() throws Exception {
        String namespace = "flat-" + Pods.name("ns");
        var pod = Pods.workflow(namespace, Pods.name("flat"), "ci")
                .label("stagewatch.io/workflow", "nightly")
                .label("stagewatch.io/pipeline", "payments-api")
                .label("stagewatch.io/app", "payments")
                .label("stagewatch.io/environment", "staging")
                .succeeded()
                .build();
        String uid = new Cluster(client).create(pod).getMetadata().getUid();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/api/runs/{uid}", uid).then().statusCode(200));

        JsonNode run = new ObjectMapper()
                .readTree(given().get("/api/runs/{uid}", uid).then().extract().asString());
        List<String> fields = new ArrayList<>();
        run.fieldNames().forEachRemaining(fields::add);
        assertEquals(
                "uid namespace pod workflow pipeline app environment cluster stage platform status cause reason reasonText "
                        + "message node atRisk workflowUid createdAt startedAt finishedAt updatedAt notifications",
                String.join(" ", fields));
        assertEquals(
                List.of("nightly", "payments-api", "payments", "staging", "east"),
                List.of(
                        run.get("workflow").textValue(),
                        run.get("pipeline").textValue(),
                        run.get("app").textValue(),
                        run.get("environment").textValue(),
                        run.get("cluster").textValue()));
    }

    @Test
    void aRunCarriesTheReasonInWordsAndItsNotificationCountsInTheListAndAlone() {
        Cluster cluster = new Cluster(client);
        String namespace = "counts-" + Pods.name("ns");
        var failed = Pods.workflow(namespace, Pods.name("oom"), "ci")
                .ended("Failed", 137, "OOMKilled")
                .notify("a@example.org, b@example.org")
                .build();
        var quiet = Pods.workflow(namespace, Pods.name("quiet"), "ci")
                .pipeline(Pods.name("no-rule"))
                .succeeded()
                .build();
        String uid = cluster.create(failed).getMetadata().getUid();
        String quietUid = cluster.create(quiet).getMetadata().getUid();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().queryParam("namespace", namespace)
                        .get("/api/runs")
                        .then()
                        .statusCode(200)
                        .body("items", hasSize(2)));

        given().queryParam("namespace", namespace)
                .get("/api/runs")
                .then()
                .statusCode(200)
                .body("items.find { it.uid == '%s' }.reason".formatted(uid), equalTo("OOM_KILLED"))
                .body(
                        "items.find { it.uid == '%s' }.reasonText".formatted(uid),
                        equalTo("a container ran out of memory"))
                .body("items.find { it.uid == '%s' }.reasonText".formatted(quietUid), nullValue());
        given().get("/api/runs/{uid}", uid)
                .then()
                .statusCode(200)
                .body("reasonText", equalTo("a container ran out of memory"));
        given().get("/api/runs/{uid}/transitions", uid)
                .then()
                .statusCode(200)
                .body("reasonText", equalTo(List.of("a container ran out of memory")));

        // the counts agree with the run's notifications, read at the same moment (mail moves from pending on)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> statuses = given().get("/api/runs/{uid}/notifications", uid)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("status");
            Map<String, Integer> expected = Map.of(
                    "pending", (int) statuses.stream().filter("PENDING"::equals).count(),
                    "sent", (int) statuses.stream().filter("SENT"::equals).count(),
                    "dead", (int) statuses.stream().filter("DEAD"::equals).count());
            assertTrue(statuses.size() >= 2, "one mail for each annotated recipient: " + statuses);
            assertEquals(
                    expected,
                    given().queryParam("namespace", namespace)
                            .get("/api/runs")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getMap("items.find { it.uid == '%s' }.notifications".formatted(uid)));
            assertEquals(
                    expected,
                    given().get("/api/runs/{uid}", uid)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getMap("notifications"));
            assertEquals(
                    expected,
                    given().queryParam("run", uid, quietUid, "no-such-run")
                            .get("/api/notifications/counts")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getMap("'" + uid + "'"));
        });
        Map<String, Integer> none = Map.of("pending", 0, "sent", 0, "dead", 0);
        assertEquals(
                none,
                given().get("/api/runs/{uid}", quietUid)
                        .then()
                        .extract()
                        .jsonPath()
                        .getMap("notifications"));
        given().queryParam("run", quietUid, "no-such-run")
                .get("/api/notifications/counts")
                .then()
                .statusCode(200)
                .body("'" + quietUid + "'", equalTo(none))
                .body("'no-such-run'", equalTo(none));
    }

    @ParameterizedTest
    @CsvSource({"0", "51"})
    void countsAreAskedForOneToFiftyRunsAtATime(int runs) {
        var request = given();
        for (int i = 0; i < runs; i++) {
            request.queryParam("run", "run-" + i);
        }
        request.get("/api/notifications/counts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", containsString("run"));
    }

    @ParameterizedTest
    @CsvSource({"stage,QA", "status,DONE", "limit,0", "limit,501", "limit,ten", "cursor,@@@"})
    void invalidParameterIsAProblemNamingIt(String parameter, String value) {
        given().queryParam(parameter, value)
                .get("/api/runs")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", containsString(parameter));
    }

    @Test
    void transitionsOfAnUnknownRunAreNotFound() {
        given().get("/api/runs/{uid}/transitions", "nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void everyStatementOfTheServiceHasATimeout() {
        String timeout = pool.query("SHOW statement_timeout")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getString(0);
        assertEquals("30s", timeout);
    }
}
