package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.testing.MockCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default: no credentials configured, so anyone may read and nobody may change, with a problem saying why. */
@QuarkusTest
@MockCluster
@TestProfile(ClosedForChangesTest.NoCredentials.class)
class ClosedForChangesTest {

    public static class NoCredentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stagewatch.api.insecure", "false");
        }
    }

    private static final String RULE = """
            {"name":"n","pipeline":"*","stages":["CI"],"events":["FAILED"],"recipients":["ops@example.org"]}""";

    @Test
    void anonymousCallersReadAsViewers() {
        given().get("/api/runs").then().statusCode(200);
        given().get("/api/access")
                .then()
                .statusCode(200)
                .body("roles", equalTo(List.of("viewer")))
                .body("insecure", equalTo(false));
    }

    @ParameterizedTest
    @CsvSource({
        "POST,/api/notification-rules",
        "PUT,/api/notification-rules/1",
        "DELETE,/api/notification-rules/1",
        "POST,/api/notifications/1/retry"
    })
    void everyChangeIsRefusedWithAProblemSayingHowToConfigureAToken(String method, String path) {
        given().contentType("application/json")
                .body(RULE)
                .request(method, path)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("Closed for changes"))
                .body("detail", containsString("stagewatch.api.tokens=admin:<token>"));
        given().get("/api/notification-rules").then().statusCode(200).body("$", empty());
    }

    @Test
    void anUnknownTokenIsStillA401() {
        given().header("Authorization", "Bearer 0123456789abcdef0123456789abcdef")
                .get("/api/runs")
                .then()
                .statusCode(401);
    }
}
