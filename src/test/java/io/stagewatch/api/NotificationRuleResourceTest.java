package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.stagewatch.testing.MockCluster;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Notification rules over HTTP against the real database: the CRUD round trip, 404s, a problem naming the field for
 * every invalid request with nothing stored, and the stored LIKE pattern as PostgreSQL evaluates it.
 */
@QuarkusTest
@MockCluster
class NotificationRuleResourceTest {

    private static final String RULES = "/api/notification-rules";

    @Inject
    Pool pool;

    @Test
    void ruleGoesThroughCreateReadReplaceAndDelete() {
        Response created = given().contentType(ContentType.JSON)
                .body(rule(r -> r.put("recipients", List.of(" Ops@Example.org", "dev@example.org", "OPS@example.org"))))
                .post(RULES);
        created.then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("id", notNullValue())
                .body("name", equalTo("payments on call"))
                .body("pipeline", equalTo("payments-*"))
                .body("stages", equalTo(List.of("CI", "POST_CD")))
                .body("events", equalTo(List.of("STARTED", "FAILED")))
                .body("recipients", equalTo(List.of("ops@example.org", "dev@example.org")))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());
        long id = created.jsonPath().getLong("id");
        assertEquals(RULES + "/" + id, URI.create(created.header("Location")).getPath(), "Location names the new rule");
        Instant createdAt = Instant.parse(created.jsonPath().getString("createdAt"));

        JsonPath read = given().get(RULES + "/{id}", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(created.jsonPath().getMap(""), read.getMap(""), "GET shows what POST returned");
        assertTrue(given().get(RULES)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .<Integer>getList("id")
                .contains((int) id));

        JsonPath replaced = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "checkout",
                        "pipeline",
                        "checkout-?",
                        "stages",
                        List.of("PRE_CD"),
                        "events",
                        List.of("SUCCEEDED"),
                        "recipients",
                        List.of("qa@example.org")))
                .put(RULES + "/{id}", id)
                .then()
                .statusCode(200)
                .body("id", equalTo((int) id))
                .body("name", equalTo("checkout"))
                .body("pipeline", equalTo("checkout-?"))
                .body("stages", equalTo(List.of("PRE_CD")))
                .body("events", equalTo(List.of("SUCCEEDED")))
                .body("recipients", equalTo(List.of("qa@example.org")))
                .extract()
                .jsonPath();
        assertEquals(createdAt, Instant.parse(replaced.getString("createdAt")), "creation time is kept");
        assertTrue(Instant.parse(replaced.getString("updatedAt")).isAfter(createdAt), "update time moves");
        assertEquals("checkout-_", storedLike(id), "the LIKE pattern follows the new glob");
        assertEquals(
                replaced.getMap(""),
                given().get(RULES + "/{id}", id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap(""));

        given().contentType(ContentType.JSON).delete(RULES + "/{id}", id).then().statusCode(204);
        given().get(RULES + "/{id}", id).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON)
                .delete(RULES + "/{id}", id)
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void rulesAreListedInIdOrder() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(given().contentType(ContentType.JSON)
                    .body(rule(r -> {}))
                    .post(RULES)
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
        }
        List<Integer> listed =
                given().get(RULES).then().statusCode(200).extract().jsonPath().getList("id");
        assertEquals(listed.stream().sorted().toList(), listed, "ascending ids");
        assertTrue(listed.containsAll(ids));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"12345678", "abc", "99999999999999999999", "-1"})
    void unknownRuleIsNotFound(String id) {
        given().get(RULES + "/{id}", id)
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(404));
        given().contentType(ContentType.JSON)
                .body(rule(r -> {}))
                .put(RULES + "/{id}", id)
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON)
                .delete(RULES + "/{id}", id)
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                invalid("name", "missing", r -> r.remove("name")),
                invalid("name", "blank", r -> r.put("name", "   ")),
                invalid("name", "201 characters", r -> r.put("name", "n".repeat(201))),
                invalid("name", "an object", r -> r.put("name", Map.of("first", "x"))),
                invalid("pipeline", "missing", r -> r.remove("pipeline")),
                invalid("pipeline", "blank", r -> r.put("pipeline", "")),
                invalid("stages", "missing", r -> r.remove("stages")),
                invalid("stages", "empty", r -> r.put("stages", List.of())),
                invalid("stages", "unknown", r -> r.put("stages", List.of("CI", "QA"))),
                invalid("stages", "a string, not an array", r -> r.put("stages", "CI")),
                invalid("events", "missing", r -> r.remove("events")),
                invalid("events", "empty", r -> r.put("events", List.of())),
                invalid("events", "unknown", r -> r.put("events", List.of("RUNNING"))),
                invalid("events", "nested arrays", r -> r.put("events", List.of(List.of("FAILED")))),
                invalid("recipients", "missing", r -> r.remove("recipients")),
                invalid("recipients", "empty", r -> r.put("recipients", List.of())),
                invalid(
                        "recipients",
                        "101 addresses",
                        r -> r.put(
                                "recipients",
                                IntStream.range(0, 101)
                                        .mapToObj(i -> "ops" + i + "@example.org")
                                        .toList())),
                invalid(
                        "recipients",
                        "an invalid address",
                        r -> r.put("recipients", List.of("ops@example.org", "ops"))),
                invalid("recipients", "a trailing CR LF", r -> r.put("recipients", List.of("ops@example.org\r\n"))),
                invalid(
                        "recipients",
                        "an injected header",
                        r -> r.put("recipients", List.of("ops@example.org\r\nBcc: victim@example.org"))),
                invalid("recipients", "a string, not an array", r -> r.put("recipients", "ops@example.org")));
    }

    @ParameterizedTest(name = "POST {0}: {1}")
    @MethodSource("invalidBodies")
    void invalidFieldIsAProblemNamingItAndNothingIsStored(String field, String why, Map<String, Object> body) {
        int before = count();
        given().contentType(ContentType.JSON)
                .body(body)
                .post(RULES)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400))
                .body("title", equalTo("Invalid field '" + field + "'"))
                .body("detail", notNullValue());
        assertEquals(before, count(), "nothing stored");
    }

    @ParameterizedTest(name = "PUT {0}: {1}")
    @MethodSource("invalidBodies")
    void invalidReplacementIsAProblemNamingItAndChangesNothing(String field, String why, Map<String, Object> body) {
        long id = given().contentType(ContentType.JSON)
                .body(rule(r -> {}))
                .post(RULES)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        Map<String, Object> stored =
                given().get(RULES + "/{id}", id).then().extract().jsonPath().getMap("");

        given().contentType(ContentType.JSON)
                .body(body)
                .put(RULES + "/{id}", id)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Invalid field '" + field + "'"));
        assertEquals(
                stored,
                given().get(RULES + "/{id}", id).then().extract().jsonPath().getMap(""),
                "rule unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{", "not json", "{\"name\": \"x\",}", "[]", "\"a rule\"", ""})
    void malformedBodyIsAProblemAndNothingIsStored(String body) {
        int before = count();
        given().contentType(ContentType.JSON)
                .body(body)
                .post(RULES)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400))
                .body("title", not(equalTo("Internal Server Error")));
        assertEquals(before, count(), "nothing stored");
    }

    /** The brief's own check: the stored pattern, evaluated by PostgreSQL with {@code ESCAPE '\'}. */
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "payments-* | payments-api  | true",
                "checkout-* | payments-api  | false",
                "*          | payments-api  | true",
                "*-api      | payments-api  | true",
                "pay?ents-* | payments-api  | true",
                "pay?ents-* | paymments-api | false",
                "ci_build   | ci_build      | true",
                "ci_build   | ciXbuild      | false",
                "100%       | 100%          | true",
                "100%       | 1000          | false",
                "a\\b*      | a\\bc         | true",
                "a\\b*      | abc           | false"
            })
    void storedPatternMatchesInPostgresqlAsTheGlobDoes(String glob, String pipeline, boolean matches) {
        long id = given().contentType(ContentType.JSON)
                .body(rule(r -> r.put("pipeline", glob)))
                .post(RULES)
                .then()
                .statusCode(201)
                .body("pipeline", equalTo(glob))
                .extract()
                .jsonPath()
                .getLong("id");

        Row row = pool.preparedQuery(
                        "SELECT $1::text LIKE pipeline_like ESCAPE '\\' AS matches FROM notification_rules WHERE id = $2")
                .execute(Tuple.of(pipeline, id))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        assertEquals(matches, row.getBoolean("matches"));
    }

    private String storedLike(long id) {
        return pool.preparedQuery("SELECT pipeline_like FROM notification_rules WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getString("pipeline_like");
    }

    private static int count() {
        return given().get(RULES)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("")
                .size();
    }

    /** A valid rule, changed by {@code change}. */
    private static Map<String, Object> rule(Consumer<Map<String, Object>> change) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "payments on call");
        rule.put("pipeline", "payments-*");
        rule.put("stages", List.of("CI", "POST_CD"));
        rule.put("events", List.of("STARTED", "FAILED"));
        rule.put("recipients", List.of("ops@example.org"));
        change.accept(rule);
        return rule;
    }

    private static Arguments invalid(String field, String why, Consumer<Map<String, Object>> change) {
        return Arguments.of(field, why, rule(change));
    }
}
