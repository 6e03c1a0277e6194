package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.SseClient;
import io.stagewatch.testing.WithTokens;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With tokens configured, every endpoint wants one, and changes want the admin role. The endpoints are found by
 * reflection over the JAX-RS resources, so a new endpoint is in this table the day it is written, and one without
 * {@code @RolesAllowed} fails it (deny-unannotated-endpoints closes it even to admins).
 */
@QuarkusTest
@MockCluster
@TestProfile(WithTokens.class)
class ApiSecurityTest {

    static final String VIEWER = WithTokens.VIEWER;
    static final String ADMIN = WithTokens.ADMIN;

    private static final String RULE = """
            {"name":"n","pipeline":"*","stages":["CI"],"events":["FAILED"],"recipients":["ops@example.org"]}""";

    /** A value for each path parameter of the resources; a new parameter name needs one here. */
    private static final Map<String, String> SAMPLES = Map.of("uid", "some-uid", "id", "1", "view", "failures");

    @TestHTTPResource("/")
    String root;

    @TestHTTPResource(management = true)
    String management;

    /** One resource method: its HTTP method, a concrete path, and whether it streams server-sent events. */
    record Endpoint(String method, String path, Method java) {

        boolean streams() {
            Produces produces = java.getAnnotation(Produces.class);
            return produces != null && List.of(produces.value()).contains(MediaType.SERVER_SENT_EVENTS);
        }

        boolean changes() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Class<?> resource : resources()) {
            for (Method method : resource.getDeclaredMethods()) {
                String http = httpMethod(method);
                if (http != null) {
                    Path sub = method.getAnnotation(Path.class);
                    String template = resource.getAnnotation(Path.class).value() + (sub == null ? "" : sub.value());
                    endpoints.add(new Endpoint(http, concrete(template), method));
                }
            }
        }
        assertTrue(endpoints.size() >= 14, "the resources were not found: " + endpoints);
        return endpoints.stream();
    }

    /** The JAX-RS resources: every class of this package, as compiled, that carries {@code @Path}. */
    static List<Class<?>> resources() {
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(Paths.get("target/classes/io/stagewatch/api"))) {
            for (java.nio.file.Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> type = Class.forName(
                            "io.stagewatch.api." + name.substring(0, name.length() - 6),
                            false,
                            ApiSecurityTest.class.getClassLoader());
                    if (type.isAnnotationPresent(Path.class)) {
                        resources.add(type);
                    }
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return resources;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void everyResourceMethodNamesItsRoles(Endpoint endpoint) {
        RolesAllowed roles = endpoint.java().getAnnotation(RolesAllowed.class);
        if (endpoint.java().isAnnotationPresent(PermitAll.class)) {
            assertTrue(!endpoint.path().startsWith("/api"), "nothing under /api is open to all: " + endpoint);
            return;
        }
        assertTrue(roles != null, endpoint + " has neither @RolesAllowed nor @PermitAll");
        assertEquals(
                List.of(endpoint.changes() ? ApiSecurity.ADMIN : ApiSecurity.VIEWER),
                List.of(roles.value()),
                endpoint + ": reads are for viewers, changes for admins");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void everyResourceMethodAnswersNoTokenViewerAndAdminAsItsRoleSays(Endpoint endpoint) {
        if (endpoint.java().isAnnotationPresent(PermitAll.class)) {
            assertEquals(200, status(endpoint, null));
            return;
        }
        assertEquals(401, status(endpoint, null), endpoint + " without a token");
        assertEquals(
                401, status(endpoint, "Bearer not-a-token-but-long-enough-0123456789"), endpoint + " unknown token");
        int viewer = status(endpoint, "Bearer " + VIEWER);
        if (endpoint.changes()) {
            assertEquals(403, viewer, endpoint + " as a viewer");
        } else {
            assertTrue(viewer != 401 && viewer != 403, endpoint + " as a viewer: " + viewer);
        }
        int admin = status(endpoint, "Bearer " + ADMIN);
        assertTrue(admin != 401 && admin != 403, endpoint + " as an admin: " + admin);
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/runs", "POST,/api/notification-rules", "DELETE,/api/notification-rules/1"})
    void failuresAreProblemsThatSayWhatToDo(String method, String path) {
        request(null)
                .request(method, path)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"stagewatch\"")
                .body("status", equalTo(401))
                .body("detail", containsString("Authorization: Bearer"));
        request("Basic dXNlcjpwYXNz")
                .request(method, path)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"stagewatch\"")
                .body("detail", equalTo("The Authorization header must be 'Bearer <token>'."));
        request("Bearer " + VIEWER + "x")
                .request(method, path)
                .then()
                .statusCode(401)
                .body("detail", equalTo("The bearer token is not valid."));
        if (!method.equals("GET")) {
            request("Bearer " + VIEWER)
                    .request(method, path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Forbidden"))
                    .body("detail", containsString("admin"));
        }
    }

    @Test
    void theFeedTakesItsTokenFromTheQueryBecauseEventSourceCannotSendHeaders() {
        String feed = root + "api/feed";
        try (SseClient anonymous = new SseClient(feed, null);
                SseClient viewer = new SseClient(feed + "?access_token=" + VIEWER, null);
                SseClient wrong = new SseClient(feed + "?access_token=" + VIEWER + "x", null)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> anonymous.status() == 401 && viewer.status() == 200 && wrong.status() == 401);
        }
    }

    @Test
    void oneTokenHoldsAtMostItsShareOfTheFeedsAndAnotherTokenIsStillServed() {
        String feed = root + "api/feed";
        List<SseClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < WithTokens.FEEDS_PER_TOKEN; i++) {
                held.add(new SseClient(feed, null, "Bearer " + VIEWER));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> held.stream().allMatch(client -> client.status() == 200));
            assertEquals(503, feedStatus(feed + "?access_token=" + VIEWER, null), "the same token in the query");
            // (checked as a stream first: a feed that is served would never end this request)
            request("Bearer " + VIEWER)
                    .get("/api/feed")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://stagewatch.io/problems/too-many-feed-clients"));
            assertEquals(200, feedStatus(feed, "Bearer " + ADMIN), "another token is served");
        } finally {
            held.forEach(SseClient::close);
        }
        // a closed feed gives its slot back
        await().atMost(Duration.ofSeconds(10)).until(() -> feedStatus(feed, "Bearer " + VIEWER) == 200);
    }

    /** The status a feed answers with; the feed is closed at once. */
    private static int feedStatus(String url, String authorization) {
        try (SseClient client = new SseClient(url, null, authorization)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.status() != 0);
            return client.status();
        }
    }

    @ParameterizedTest
    @CsvSource({"GET,/api/runs", "GET,/api/access", "POST,/api/notification-rules", "POST,/api/notifications/1/retry"})
    void aTokenInTheQueryOfAnyOtherRequestIsRefused(String method, String path) {
        request(null)
                .request(method, path + "?access_token=" + ADMIN)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("GET /api/feed only"));
        // even beside a valid header: the token is in a URL, where proxies log it
        request("Bearer " + ADMIN)
                .request(method, path + "?access_token=" + ADMIN)
                .then()
                .statusCode(401);
    }

    @Test
    void accessTellsTheCallerItsRoles() {
        request("Bearer " + VIEWER)
                .get("/api/access")
                .then()
                .statusCode(200)
                .body("roles", equalTo(List.of("viewer")))
                .body("insecure", equalTo(false));
        request("Bearer " + ADMIN)
                .get("/api/access")
                .then()
                .statusCode(200)
                .body("roles", equalTo(List.of("admin", "viewer")));
    }

    @Test
    void thePageAndItsFilesNeedNoToken() {
        given().get("/").then().statusCode(200);
        given().get("/js/api.js").then().statusCode(200);
        given().header("Authorization", "Bearer nonsense")
                .get("/runs/some-uid")
                .then()
                .statusCode(200);
    }

    @ParameterizedTest
    @CsvSource({"health/live", "health/ready", "metrics", "openapi"})
    void healthMetricsAndOpenApiAreOnTheManagementPortOnlyAndNeedNoTokenThere(String path) {
        given().get(management + path).then().statusCode(200);
        given().get("/q/" + path).then().statusCode(404);
        given().header("Authorization", "Bearer " + ADMIN)
                .get("/q/" + path)
                .then()
                .statusCode(404);
    }

    private int status(Endpoint endpoint, String authorization) {
        if (endpoint.streams()) {
            try (SseClient client = new SseClient(root + endpoint.path().substring(1), null, authorization)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> client.status() != 0);
                return client.status();
            }
        }
        Response response = request(authorization).request(endpoint.method(), endpoint.path());
        return response.statusCode();
    }

    private static RequestSpecification request(String authorization) {
        RequestSpecification request = given().contentType("application/json").body(RULE);
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private static String httpMethod(Method method) {
        for (var type : List.of(GET.class, POST.class, PUT.class, DELETE.class)) {
            if (method.isAnnotationPresent(type)) {
                return type.getSimpleName();
            }
        }
        return null;
    }

    private static String concrete(String template) {
        Matcher parameter = Pattern.compile("\\{(\\w+)[^}]*}").matcher(template);
        StringBuilder path = new StringBuilder();
        while (parameter.find()) {
            String sample = SAMPLES.get(parameter.group(1));
            assertTrue(sample != null, "no sample value for the path parameter '" + parameter.group(1) + "'");
            parameter.appendReplacement(path, sample);
        }
        return parameter.appendTail(path).toString().replace("//", "/");
    }
}
