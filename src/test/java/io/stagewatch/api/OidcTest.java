package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * stagewatch.api.auth=oidc against an OpenID Connect issuer in this JVM (WireMock, quarkus-test-oidc-server): a valid
 * access token's groups map to viewer or admin, and an expired token, a token of another issuer, and a token without
 * the roles claim get nothing. Offline: the issuer is local, and only this class starts it.
 */
@QuarkusTest
@MockCluster
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(OidcTest.Oidc.class)
class OidcTest {

    public static class Oidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "stagewatch.api.auth",
                    "oidc",
                    "quarkus.oidc.tenant-enabled",
                    "true",
                    "quarkus.oidc.auth-server-url",
                    "${keycloak.url}/realms/quarkus",
                    "stagewatch.api.insecure",
                    "false",
                    "stagewatch.api.oidc.viewer-roles",
                    "developers,qa",
                    "stagewatch.api.oidc.admin-roles",
                    "platform-team");
        }
    }

    private static final String ISSUER = "https://server.example.com";
    private static final String RULE = """
            {"name":"oidc","pipeline":"*","stages":["CI"],"events":["FAILED"],"recipients":["ops@example.org"]}""";

    @TestHTTPResource("/api/feed")
    String feed;

    @Test
    void aViewerGroupReadsAndCannotChange() {
        String token = OidcWiremockTestResource.getAccessToken("alice", Set.of("qa", "someone-else"));
        as(token).get("/api/runs").then().statusCode(200);
        as(token).get("/api/access").then().statusCode(200).body("roles", equalTo(List.of("viewer")));
        as(token).post("/api/notification-rules").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anAdminGroupChanges() {
        String token = OidcWiremockTestResource.getAccessToken("bob", Set.of("platform-team"));
        as(token).get("/api/access").then().statusCode(200).body("roles", equalTo(List.of("admin", "viewer")));
        as(token).post("/api/notification-rules").then().statusCode(201);
    }

    @Test
    void aGroupStagewatchDoesNotMapGrantsNothingNotEvenOneCalledAdmin() {
        String token = OidcWiremockTestResource.getAccessToken("mallory", Set.of("admin", "viewer"));
        as(token).get("/api/runs").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        as(token).post("/api/notification-rules").then().statusCode(403);
    }

    @Test
    void aTokenWithoutTheRolesClaimGetsNoRole() {
        String token = sign(claims().issuer(ISSUER).expiresIn(Duration.ofMinutes(5)));
        as(token).get("/api/runs").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anExpiredTokenIsA401() {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        String token = sign(claims().issuer(ISSUER)
                .groups(Set.of("platform-team"))
                .issuedAt(hourAgo.minusSeconds(300))
                .expiresAt(hourAgo));
        unauthorized(as(token).get("/api/runs").then());
    }

    @Test
    void aTokenOfAnotherIssuerIsA401() {
        String token = sign(claims().issuer("https://elsewhere.example.com")
                .groups(Set.of("platform-team"))
                .expiresIn(Duration.ofMinutes(5)));
        unauthorized(as(token).get("/api/runs").then());
    }

    @Test
    void noTokenAndAStaticLookingTokenAre401s() {
        unauthorized(given().get("/api/runs").then());
        unauthorized(as("0123456789abcdef0123456789abcdef").get("/api/runs").then());
    }

    @Test
    void theFeedTakesAnOidcTokenFromTheQuery() {
        String viewer = OidcWiremockTestResource.getAccessToken("alice", Set.of("developers"));
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        String expired = sign(claims().issuer(ISSUER)
                .groups(Set.of("developers"))
                .issuedAt(hourAgo.minusSeconds(300))
                .expiresAt(hourAgo));
        try (SseClient ok = new SseClient(feed + "?access_token=" + viewer, null);
                SseClient stale = new SseClient(feed + "?access_token=" + expired, null);
                SseClient header = new SseClient(feed, null, "Bearer " + viewer)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ok.status() == 200 && stale.status() == 401 && header.status() == 200);
        }
        as(viewer).get("/api/runs?access_token=" + viewer).then().statusCode(401);
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(RULE);
    }

    private static void unauthorized(io.restassured.response.ValidatableResponse response) {
        response.statusCode(401).contentType(Problem.MEDIA_TYPE).header("WWW-Authenticate", containsString("Bearer"));
    }

    private static JwtClaimsBuilder claims() {
        return Jwt.preferredUserName("carol").audience(ISSUER);
    }

    /** Signed with the test issuer's own key, so that only the claims make it invalid. */
    private static String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId("1").sign("privateKey.jwk");
    }
}
