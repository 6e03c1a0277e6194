package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stagewatch.testing.MockCluster;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GET /api/stats on real rows. Other tests share the database and finish their runs now, so this one finishes its
 * runs 30 days ago under a pipeline of its own: its groups and days are exact, and groups shared with other runs (a
 * stage, a cause) are compared before and after. Only finished runs are inserted: an unfinished one without a pod
 * would be judged vanished (and finished) by the reconcile pass while the test runs. The rows are updated now, as
 * rows written now are: retention deletes runs not updated for 90 days, and would take these in the middle of a test.
 */
@QuarkusTest
@MockCluster
class StatsResourceTest {

    private static final Instant DAY_A =
            LocalDate.now(ZoneOffset.UTC).minusDays(30).atTime(10, 0).toInstant(ZoneOffset.UTC);
    private static final Instant DAY_B = DAY_A.plus(1, ChronoUnit.DAYS);

    @Inject
    Pool pool;

    @Test
    void countsFinishedRunsPerGroupAndPerDayWithinTheWindow() {
        String pipeline = "stats-" + UUID.randomUUID();
        JsonPath stagesBefore = stats("45d", "stage");

        insert(pipeline, "CI", "SUCCEEDED", null, null, DAY_A, 3);
        insert(pipeline, "CI", "FAILED", "WORKLOAD", "EXIT_CODE", DAY_A, 2);
        insert(pipeline, "CI", "FAILED", "INFRASTRUCTURE", "NODE_LOST", DAY_A, 1);
        insert(pipeline, "POST_CD", "SUCCEEDED", null, null, DAY_B, 1);
        insert(pipeline, "POST_CD", "FAILED", "INFRASTRUCTURE", "EVICTED", DAY_B, 1);
        insert(pipeline, "CI", "FAILED", "WORKLOAD", "EXIT_CODE", DAY_A.minus(30, ChronoUnit.DAYS), 1);

        JsonPath byPipeline = stats("45d", "pipeline");
        assertEquals("pipeline", byPipeline.getString("by"));
        assertEquals(
                Map.of("key", pipeline, "succeeded", 4, "failed", 4, "workload", 2, "infrastructure", 2),
                group(byPipeline, pipeline),
                "the window's runs, not the one finished 60 days ago");
        List<Map<String, Object>> days = byPipeline.getList("days");
        assertEquals(
                LocalDate.now(ZoneOffset.UTC).toString(),
                days.get(days.size() - 1).get("day"),
                "up to today");
        assertTrue(days.size() >= 46, "every day of the window, from 45 days ago: " + days.size());
        assertEquals(
                Map.of("day", day(DAY_A), "succeeded", 3, "workload", 2, "infrastructure", 1), day(byPipeline, DAY_A));
        assertEquals(
                Map.of("day", day(DAY_B), "succeeded", 1, "workload", 0, "infrastructure", 1), day(byPipeline, DAY_B));
        assertEquals(
                Map.of("day", day(DAY_B.plus(1, ChronoUnit.DAYS)), "succeeded", 0, "workload", 0, "infrastructure", 0),
                day(byPipeline, DAY_B.plus(1, ChronoUnit.DAYS)),
                "a day without runs counts zero");

        JsonPath stagesAfter = stats("45d", "stage");
        assertEquals(List.of(3, 3, 2, 1), grew(stagesBefore, stagesAfter, "CI"));
        assertEquals(List.of(1, 1, 0, 1), grew(stagesBefore, stagesAfter, "POST_CD"));

        JsonPath byReason = stats("45d", "reason");
        assertTrue((int) group(byReason, "NODE_LOST").get("infrastructure") >= 1);
        assertEquals(0, group(byReason, "none").get("failed"), "succeeded runs have no reason");

        JsonPath byPlatform = stats("45d", "platform");
        assertTrue(byPlatform.getList("groups.key").contains("stagewatch"), "runs of a release without profiles");
        assertEquals(
                stagesAfter.getList("groups.failed", Integer.class).stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                byPlatform.getList("groups.failed", Integer.class).stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                "every run counts under one platform");
        JsonPath byCluster = stats("45d", "cluster");
        assertEquals(
                Map.of("key", "east", "succeeded", 4, "failed", 4, "workload", 2, "infrastructure", 2),
                stats(Map.of("since", "45d", "by", "cluster", "pipeline", pipeline))
                        .getMap("groups[0]"),
                "runs written without a cluster (by a release before it) are the upgrading instance's");
        assertEquals(
                stagesAfter.getList("groups.failed", Integer.class).stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                byCluster.getList("groups.failed", Integer.class).stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                "every run counts under one cluster");

        JsonPath lastWeek = stats("7d", "pipeline");
        assertTrue(lastWeek.getList("groups.key").stream().noneMatch(pipeline::equals), "nothing of 30 days ago");
        assertEquals(8, lastWeek.getList("days").size(), "7 days back to today");
    }

    @Test
    void stagePipelineAndPlatformNarrowTheCountedRuns() {
        String pipeline = "stats-" + UUID.randomUUID();
        String other = "stats-" + UUID.randomUUID();
        insert(pipeline, "CI", "SUCCEEDED", null, null, DAY_A, 2);
        insert(pipeline, "CI", "FAILED", "WORKLOAD", "EXIT_CODE", DAY_A, 1);
        insert(pipeline, "PRE_CD", "FAILED", "INFRASTRUCTURE", "EVICTED", DAY_A, 3);
        insert(other, "CI", "FAILED", "WORKLOAD", "EXIT_CODE", DAY_A, 4);
        insert("argo", pipeline, "CI", "FAILED", "WORKLOAD", "OOM_KILLED", DAY_A, 5);

        JsonPath ci = stats(Map.of("by", "reason", "pipeline", pipeline, "stage", "CI", "platform", "stagewatch"));
        assertEquals(List.of("EXIT_CODE", "none"), ci.getList("groups.key"), "only the CI runs of the pipeline");
        assertEquals(
                Map.of(
                        "key",
                        "EXIT_CODE",
                        "text",
                        "a container exited with a non-zero code",
                        "succeeded",
                        0,
                        "failed",
                        1,
                        "workload",
                        1,
                        "infrastructure",
                        0),
                group(ci, "EXIT_CODE"),
                "a reason comes with its words");
        assertFalse(group(ci, "none").containsKey("text"), "succeeded runs have no reason to put in words");
        assertEquals(Map.of("day", day(DAY_A), "succeeded", 2, "workload", 1, "infrastructure", 0), day(ci, DAY_A));

        JsonPath preCd = stats(Map.of("by", "stage", "pipeline", pipeline, "stage", "pre-cd"));
        assertEquals(List.of("PRE_CD"), preCd.getList("groups.key"), "the stage's label names it too");
        assertEquals(Map.of("day", day(DAY_A), "succeeded", 0, "workload", 0, "infrastructure", 3), day(preCd, DAY_A));

        JsonPath own = stats(Map.of("by", "pipeline", "pipeline", pipeline, "platform", "stagewatch"));
        assertEquals(List.of(pipeline), own.getList("groups.key"));
        assertEquals(Map.of("day", day(DAY_A), "succeeded", 2, "workload", 1, "infrastructure", 3), day(own, DAY_A));

        JsonPath byPlatform = stats(Map.of("by", "platform", "pipeline", pipeline));
        assertEquals(List.of("argo", "stagewatch"), byPlatform.getList("groups.key"), "most failures first");
        assertEquals(
                Map.of("key", "argo", "succeeded", 0, "failed", 5, "workload", 5, "infrastructure", 0),
                group(byPlatform, "argo"));
        JsonPath argo = stats(Map.of("by", "reason", "pipeline", pipeline, "platform", "argo"));
        assertEquals(List.of("OOM_KILLED"), argo.getList("groups.key"), "only the Argo runs");

        given().queryParam("stage", "deploy")
                .get("/api/stats")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("title", equalTo("Invalid parameter 'stage'"))
                .body("detail", containsString("'deploy' is not one of"));
    }

    @Test
    void sinceDefaultsToSevenDaysAndByToCause() {
        JsonPath stats =
                given().get("/api/stats").then().statusCode(200).extract().jsonPath();
        assertEquals("cause", stats.getString("by"));
        assertEquals(8, stats.getList("days").size());
        Instant since = Instant.parse(stats.getString("since"));
        assertTrue(
                Math.abs(ChronoUnit.SECONDS.between(since, Instant.now().minus(7, ChronoUnit.DAYS))) < 60,
                since.toString());
        given().queryParam("since", "PT36H")
                .queryParam("by", "STAGE")
                .get("/api/stats")
                .then()
                .statusCode(200)
                .body("by", equalTo("stage"));
    }

    @ParameterizedTest
    @CsvSource({
        "since,0d",
        "since,-1d",
        "since,367d",
        "since,P400D",
        "since,week",
        "since,7x",
        "by,color",
        "by,stages",
        "platform,gitlab"
    })
    void badParameterIsAProblemNamingIt(String parameter, String value) {
        given().queryParam(parameter, value)
                .get("/api/stats")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("title", equalTo("Invalid parameter '" + parameter + "'"))
                .body("detail", containsString(parameter + " must be"));
    }

    private static JsonPath stats(String since, String by) {
        return stats(Map.of("since", since, "by", by));
    }

    /** The statistics of the last 366 days with the given parameters. */
    private static JsonPath stats(Map<String, String> parameters) {
        Map<String, String> query = new HashMap<>(parameters);
        query.putIfAbsent("since", "366d");
        return given().queryParams(query)
                .get("/api/stats")
                .then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> group(JsonPath stats, String key) {
        return stats.getMap("groups.find { it.key == '" + key + "' }");
    }

    private static Map<String, Object> day(JsonPath stats, Instant at) {
        return stats.getMap("days.find { it.day == '" + day(at) + "' }");
    }

    private static String day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }

    /** How much a stage's succeeded, failed, workload and infrastructure counts grew. */
    private static List<Integer> grew(JsonPath before, JsonPath after, String key) {
        Map<String, Object> was = before.getMap("groups.find { it.key == '" + key + "' }");
        Map<String, Object> is = group(after, key);
        return List.of("succeeded", "failed", "workload", "infrastructure").stream()
                .map(count -> (int) is.get(count) - (was == null ? 0 : (int) was.get(count)))
                .toList();
    }

    /** Runs of a release without profiles: the column's default names their platform. */
    private void insert(
            String pipeline, String stage, String status, String cause, String reason, Instant finishedAt, int count) {
        insert(null, pipeline, stage, status, cause, reason, finishedAt, count);
    }

    private void insert(
            String platform,
            String pipeline,
            String stage,
            String status,
            String cause,
            String reason,
            Instant finishedAt,
            int count) {
        for (int i = 0; i < count; i++) {
            String uid = UUID.randomUUID().toString();
            Instant created = finishedAt.minus(10, ChronoUnit.MINUTES);
            pool.preparedQuery("""
                    INSERT INTO runs (uid, namespace, pod, workflow, pipeline, stage, status, cause, reason, created_at,
                                      finished_at, updated_at, version)
                    VALUES ($1, 'stats', $1, 'wf', $2, $3, $4, $5, $6, $7, $8, now(), 1)""")
                    .execute(Tuple.tuple()
                            .addString(uid)
                            .addString(pipeline)
                            .addString(stage)
                            .addString(status)
                            .addString(cause)
                            .addString(reason)
                            .addOffsetDateTime(created.atOffset(ZoneOffset.UTC))
                            .addOffsetDateTime(finishedAt.atOffset(ZoneOffset.UTC)))
                    .await()
                    .indefinitely();
            if (platform != null) {
                pool.preparedQuery("UPDATE runs SET platform = $2 WHERE uid = $1")
                        .execute(Tuple.of(uid, platform))
                        .await()
                        .indefinitely();
            }
        }
    }
}
