package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stagewatch.delivery.WebhookTargets;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.notification.NotificationRule;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.notification.Webhook;
import io.stagewatch.run.Stage;
import io.stagewatch.store.RuleRepository;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Runs;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules file against the real database and the API: loaded, changed, broken (nothing loaded changes, the line and
 * the reason reported by a wellness check, not readiness), emptied; file rules answer 409 to a PUT or DELETE; owners
 * and API rules are left alone; a replica that has not seen a change yet writes nothing back. The application's own
 * file ({@code %test.stagewatch.rules.file}, owner the test cluster's name, {@link Runs#CLUSTER}) is polled by hand here.
 */
@QuarkusTest
@MockCluster
class RulesFileLoaderTest {

    private static final String RULES = "/api/notification-rules";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PAYMENTS = """
              - name: payments on call
                pipeline: payments-*
                stages: [CI]
                events: [FAILED]
                recipients: [ops@example.org]
            """;

    @Inject
    RulesFileLoader loader;

    @Inject
    RuleRepository rules;

    @Inject
    WebhookTargets targets;

    @Inject
    RecipientPolicy policy;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    @ConfigProperty(name = "stagewatch.rules.file")
    Path file;

    @TestHTTPResource(management = true)
    String management;

    @TempDir
    Path directory;

    @AfterEach
    void noFileRulesAreLeft() throws IOException {
        write(file, "rules: []\n");
        loader.poll().await().atMost(WAIT);
    }

    @Test
    void theFileIsLoadedChangedAndBrokenWithoutLosingWhatWasLoaded() throws IOException {
        write(file, "rules:\n" + PAYMENTS + """
                  - name: deploys to slack
                    pipeline: "*"
                    stages: [POST_CD]
                    events: [SUCCEEDED]
                    webhooks:
                      - {url: "https://hooks.slack.com/services/T0/B0/x", kind: slack}
                  - name: signed
                    pipeline: "*"
                    stages: [CI]
                    events: [STARTED]
                    webhooks:
                      - {url: "https://hooks.example.org/stagewatch", kind: json, secretEnv: HOME}
                """);
        loader.poll().await().atMost(WAIT);
        Map<String, NotificationRule> loaded = fileRules(Runs.CLUSTER);
        assertEquals(List.of("deploys to slack", "payments on call", "signed"), List.copyOf(loaded.keySet()));
        assertEquals(
                List.of(new Webhook("https://hooks.example.org/stagewatch", Webhook.Kind.JSON, System.getenv("HOME"))),
                loaded.get("signed").webhooks(),
                "the secret comes from the environment variable");
        long payments = loaded.get("payments on call").id();
        given().get(RULES + "/{id}", payments)
                .then()
                .statusCode(200)
                .body("source", equalTo("file"))
                .body("name", equalTo("payments on call"));

        write(file, "rules:\n" + PAYMENTS.replace("[FAILED]", "[FAILED, SUCCEEDED]") + """
                  - name: new one
                    pipeline: api-*
                    stages: [PRE_CD]
                    events: [FAILED]
                    recipients: [dev@example.org]
                """);
        loader.poll().await().atMost(WAIT);
        Map<String, NotificationRule> changed = fileRules(Runs.CLUSTER);
        assertEquals(List.of("new one", "payments on call"), List.copyOf(changed.keySet()), "matched by name");
        assertEquals(payments, changed.get("payments on call").id(), "a changed rule keeps its id");
        assertEquals(2, changed.get("payments on call").events().size());
        assertNotEquals(
                loaded.get("payments on call").updatedAt(),
                changed.get("payments on call").updatedAt());
        assertNull(loader.problem());

        double refused = registry.counter("stagewatch.rules.file.invalid").count();
        write(file, "rules:\n" + PAYMENTS.replace("[CI]", "[CII]"));
        loader.poll().await().atMost(WAIT);
        assertEquals(changed, fileRules(Runs.CLUSTER), "a broken file changes nothing");
        assertTrue(
                loader.problem().startsWith(file + ":2: rules[0]: 'CII' is not one of"),
                "names the line and the reason: " + loader.problem());
        assertEquals(
                refused + 1, registry.counter("stagewatch.rules.file.invalid").count());
        given().get(management + "health/well")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'rules-file' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'rules-file' }.data.problem", containsString("CII"));
        given().get(management + "health/ready").then().statusCode(200);
        loader.poll().await().atMost(WAIT);
        assertEquals(
                refused + 1, registry.counter("stagewatch.rules.file.invalid").count(), "counted once");

        write(file, "rules: []\n");
        loader.poll().await().atMost(WAIT);
        assertEquals(Map.of(), fileRules(Runs.CLUSTER), "rules removed from the file are deleted");
        given().get(management + "health/well").then().statusCode(200);
    }

    @Test
    void aFileRuleAnswers409ToPutAndDeleteNamingTheFile() throws IOException {
        write(file, "rules:\n" + PAYMENTS);
        loader.poll().await().atMost(WAIT);
        long id = fileRules(Runs.CLUSTER).get("payments on call").id();
        String body = """
                {"name": "mine now", "pipeline": "*", "stages": ["CI"], "events": ["FAILED"],
                 "recipients": ["me@example.org"]}""";
        given().contentType(ContentType.JSON)
                .body(body)
                .put(RULES + "/{id}", id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(file.toString()));
        given().contentType(ContentType.JSON)
                .delete(RULES + "/{id}", id)
                .then()
                .statusCode(409)
                .body("detail", containsString(file.toString()));
        assertEquals(
                "payments on call",
                fileRules(Runs.CLUSTER).get("payments on call").name(),
                "unchanged");
        long api = given().contentType(ContentType.JSON)
                .body(body)
                .post(RULES)
                .then()
                .statusCode(201)
                .body("source", equalTo("api"))
                .extract()
                .jsonPath()
                .getLong("id");
        given().contentType(ContentType.JSON)
                .body(body.replace(
                        "\"recipients\"",
                        "\"webhooks\": [{\"url\": \"https://h.example.org/\", "
                                + "\"kind\": \"json\", \"secretEnv\": \"HOME\"}], \"recipients\""))
                .put(RULES + "/{id}", api)
                .then()
                .statusCode(400)
                .body("detail", containsString("secretEnv is for rules files"));
        given().contentType(ContentType.JSON)
                .delete(RULES + "/{id}", api)
                .then()
                .statusCode(204);
    }

    @Test
    void ownersAndApiRulesAreLeftAloneByAnotherOwnersFile() throws IOException {
        long api = rules.create(NotificationRule.draft(
                        "payments on call",
                        "*",
                        List.of(Stage.CI),
                        List.of(NotificationEvent.FAILED),
                        List.of("api@example.org"),
                        List.of()))
                .await()
                .atMost(WAIT)
                .id();
        write(file, "rules:\n" + PAYMENTS);
        loader.poll().await().atMost(WAIT);
        Path other = directory.resolve("other.yaml");
        write(other, "rules:\n" + PAYMENTS.replace("ops@", "other@"));
        RulesFileSync cluster = sync(other, "other-cluster");
        cluster.poll().await().atMost(WAIT);
        assertEquals(
                List.of("ops@example.org"),
                fileRules(Runs.CLUSTER).get("payments on call").recipients());
        assertEquals(
                List.of("other@example.org"),
                fileRules("other-cluster").get("payments on call").recipients(),
                "one name, unique per owner");

        write(file, "rules: []\n");
        loader.poll().await().atMost(WAIT);
        assertEquals(1, fileRules("other-cluster").size(), "the other owner's rules stay");
        sync(null, "other-cluster").poll().await().atMost(WAIT);
        assertEquals(Map.of(), fileRules("other-cluster"), "an owner without a file has no file rules");
        assertEquals(
                "api@example.org",
                rules.find(api).await().atMost(WAIT).recipients().get(0),
                "API rule kept");
        rules.delete(api).await().atMost(WAIT);
    }

    @Test
    void aReplicaThatHasNotSeenTheChangeYetDoesNotWriteTheOldRulesBack() throws IOException {
        Path first = directory.resolve("first.yaml");
        Path second = directory.resolve("second.yaml");
        write(first, "rules:\n" + PAYMENTS);
        write(second, "rules:\n" + PAYMENTS);
        RulesFileSync one = sync(first, "replicas");
        RulesFileSync two = sync(second, "replicas");
        one.poll().await().atMost(WAIT);
        two.poll().await().atMost(WAIT);
        write(first, "rules:\n" + PAYMENTS.replace("[FAILED]", "[SUCCEEDED]"));
        one.poll().await().atMost(WAIT);
        two.poll().await().atMost(WAIT);
        assertEquals(
                "SUCCEEDED",
                fileRules("replicas").get("payments on call").events().get(0).name(),
                "the replica still seeing the old file wrote nothing");
        write(second, "rules:\n" + PAYMENTS.replace("[FAILED]", "[SUCCEEDED]"));
        two.poll().await().atMost(WAIT);
        assertEquals(
                "SUCCEEDED",
                fileRules("replicas").get("payments on call").events().get(0).name());
        sync(null, "replicas").poll().await().atMost(WAIT);
    }

    private RulesFileSync sync(Path path, String owner) {
        return new RulesFileSync(path, owner, System::getenv, rules, targets.allowedHosts(), policy, () -> {});
    }

    /** The file rules of an owner by name, read from the database. */
    private Map<String, NotificationRule> fileRules(String owner) {
        List<Long> ids = pool
                .preparedQuery("SELECT id FROM notification_rules WHERE owner = $1")
                .execute(Tuple.of(owner))
                .await()
                .atMost(WAIT)
                .stream()
                .map(row -> row.getLong("id"))
                .toList();
        return rules.list().await().atMost(WAIT).stream()
                .filter(rule -> ids.contains(rule.id()))
                .collect(Collectors.toMap(NotificationRule::name, rule -> rule, (a, b) -> a, TreeMap::new));
    }

    private static void write(Path path, String content) throws IOException {
        Files.writeString(path, content);
    }
}
