package io.stagewatch.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, started as it ships (the native executable under {@code -Pnative}, i.e. {@code make native};
 * the jar with {@code mvn verify -Dit.test=PackagedAppIT}), answers its liveness probe and serves its OpenAPI document,
 * both on its management port. It connects to the PostgreSQL named by {@code STAGEWATCH_DB_*} (default
 * 127.0.0.1:5432, database {@code stagewatch}, which {@code make db} creates); no cluster is needed for these endpoints.
 */
@QuarkusIntegrationTest
class PackagedAppIT {

    /** The management interface's root, /q/ (quarkus.management.*): health, metrics and OpenAPI are served there only. */
    @TestHTTPResource(management = true)
    String management;

    @Test
    void theLivenessProbeSaysUp() {
        given().when().get(management + "health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theOpenApiDocumentDescribesTheRunsApi() {
        given().queryParam("format", "json")
                .when()
                .get(management + "openapi")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("stagewatch"))
                .body("paths", hasKey("/api/runs"));
    }
}
