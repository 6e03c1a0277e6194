package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.specification.RequestSpecification;
import io.stagewatch.testing.SseClient;

/** With tokens configured, every endpoint needs one; changes need the admin role. */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ApiSecurityTest.WithTokens.class)
class ApiSecurityTest {

    public static class WithTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stagewatch.api.tokens", "viewer:view-7f3a,admin:admin-91c2");
        }
    }

    private static final String RULE = """
            {"name":"n","pipeline":"*","stages":["CI"],"events":["FAILED"],"recipients":["ops@example.org"]}""";

    @TestHTTPResource("/api/feed")
    String feed;

    @ParameterizedTest
    @CsvSource({ "GET,/api/runs", "GET,/api/runs/some-uid", "GET,/api/runs/some-uid/transitions",
            "GET,/api/runs/some-uid/notifications", "GET,/api/notifications", "GET,/api/notifications/counts?run=some-uid",
            "GET,/api/notification-rules",
            "GET,/api/notification-rules/1", "POST,/api/notification-rules", "PUT,/api/notification-rules/1",
            "DELETE,/api/notification-rules/1", "POST,/api/notifications/1/retry" })
    void everyEndpointWantsAValidTokenAndChangesWantAdmin(String method, String path) {
        boolean change = !method.equals("GET");
        request(null).request(method, path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"stagewatch\"").body("status", equalTo(401));
        request("not-a-token").request(method, path).then().statusCode(401).contentType("application/problem+json");
        request("view-7f3a").request(method, path).then()
                .statusCode(change ? equalTo(403) : not(oneOf(401, 403)));
        if (change) {
            request("view-7f3a").request(method, path).then().contentType("application/problem+json")
                    .body("title", equalTo("Forbidden"));
        }
        request("admin-91c2").request(method, path).then().statusCode(not(oneOf(401, 403)));
    }

    @Test
    void feedWantsAToken() {
        try (SseClient anonymous = new SseClient(feed, null); SseClient viewer = new SseClient(feed + "?access_token=view-7f3a", null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> anonymous.status() == 401 && viewer.status() == 200);
        }
    }

    @Test
    void healthAndMetricsStayOpenForProbesAndScrapers() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aTokenInTheQueryIsNotAcceptedForChanges() {
        given().contentType("application/json").body(RULE).post("/api/notification-rules?access_token=admin-91c2").then()
                .statusCode(401);
    }

    private static RequestSpecification request(String token) {
        RequestSpecification request = given().contentType("application/json").body(RULE);
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }
}
