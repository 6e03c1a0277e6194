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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.Pods;

/** The run listing: filters, newest first, keyset pages, and problems for bad requests. */
@QuarkusTest
@WithKubernetesTestServer
class RunResourceTest {

    @Inject
    KubernetesClient client;

    @Test
    void listsFilteredRunsNewestFirstInKeysetPages() {
        Cluster cluster = new Cluster(client);
        String namespace = "list-" + Pods.name("ns");
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            var pod = Pods.workflow(namespace, Pods.name("list"), i % 2 == 0 ? "ci" : "post-cd").succeeded().build();
            uids.add(cluster.create(pod).getMetadata().getUid());
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("namespace", namespace)
                .get("/api/runs").then().statusCode(200).body("items", hasSize(7)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("namespace", namespace).queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/runs").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.uid"));
            cursor = page.getString("next");
        } while (cursor != null);
        assertEquals(7, seen.size());
        assertEquals(7, seen.stream().distinct().count(), "no run on two pages");
        assertEquals(uids.stream().sorted().toList(), seen.stream().sorted().toList());

        given().queryParam("namespace", namespace).queryParam("stage", "POST_CD").get("/api/runs").then()
                .statusCode(200).body("items", hasSize(3)).body("items.stage", everyItem(equalTo("POST_CD")))
                .body("next", nullValue());
        given().queryParam("namespace", namespace).queryParam("status", "SUCCEEDED").queryParam("stage", "ci")
                .get("/api/runs").then().statusCode(200).body("items", hasSize(4))
                .body("items[0].pipeline", equalTo("payments-api"))
                .body("items[0].cause", nullValue())
                .body("items[0].finishedAt", notNullValue());
    }

    @ParameterizedTest
    @CsvSource({ "stage,QA", "status,DONE", "limit,0", "limit,501", "limit,ten", "cursor,@@@" })
    void invalidParameterIsAProblemNamingIt(String parameter, String value) {
        given().queryParam(parameter, value).get("/api/runs").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", containsString(parameter));
    }

    @Test
    void transitionsOfAnUnknownRunAreNotFound() {
        given().get("/api/runs/{uid}/transitions", "nope").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
