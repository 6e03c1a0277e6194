package io.stagewatch.deploy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.SseClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real scrape of {@code /q/metrics} in the Prometheus text format: every stagewatch metric lints clean, and every
 * metric that the alert rules (k8s/monitoring/prometheusrule.yaml) and the dashboard (docs/grafana/stagewatch.json) name is in
 * it, so the three cannot drift apart.
 */
@QuarkusTest
@MockCluster
class MetricsScrapeTest {

    /** The management interface's root, /q/ (quarkus.management.*): health, metrics and OpenAPI are served there only. */
    @TestHTTPResource(management = true)
    String management;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4";
    private static final Path RULES = Path.of("k8s/monitoring/prometheusrule.yaml");
    private static final Path DASHBOARD = Path.of("docs/grafana/stagewatch.json");
    private static final Pattern STAGEWATCH_NAME = Pattern.compile("\\bstagewatch_[a-z0-9_]+");

    /** Metric families the scrape must have after {@link #somethingHappened()}, so the lint below is not vacuous. */
    private static final Set<String> EXPECTED = Set.of(
            "stagewatch_informer_watching",
            "stagewatch_reconcile_duration_seconds",
            "stagewatch_reconcile_failures_total",
            "stagewatch_observations_total",
            "stagewatch_observations_undecided",
            "stagewatch_observations_dropped_total",
            "stagewatch_observations_superseded_total",
            "stagewatch_observations_invalid_total",
            "stagewatch_transitions_total",
            "stagewatch_transitions_latency_seconds",
            "stagewatch_persist_retries_total",
            "stagewatch_notifications_total",
            "stagewatch_notifications_latency_seconds",
            "stagewatch_outbox_pending",
            "stagewatch_outbox_oldest_age_seconds",
            "stagewatch_finalizer_patches_total",
            "stagewatch_finalizer_forced_total",
            "stagewatch_feed_disconnected_total");

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/api/feed")
    String feed;

    private String scrape;

    /**
     * Makes the meters that appear only once something happened appear: runs that succeed, fail and run (transitions,
     * latency, the finalizer added to the running pod), a pod that is not a valid workflow pod
     * (observations.invalid) and a feed client. Two meters stay out of the scrape, as nothing here provokes them:
     * stagewatch.transitions.rejected and stagewatch.observations.failed (built the same way, with a description).
     */
    @BeforeEach
    void somethingHappened() {
        Cluster cluster = new Cluster(client);
        Pod succeeded = cluster.create(
                Pods.workflow("metrics", Pods.name("ok"), "ci").succeeded().build());
        Pod failed = cluster.create(
                Pods.workflow("metrics", Pods.name("bad"), "post-cd").failed(2).build());
        cluster.create(Pods.workflow("metrics", Pods.name("nightly"), "nightly").build());
        Pod running = cluster.create(Pods.workflow("metrics", Pods.name("running"), "pre-cd")
                .running()
                .build());
        for (Pod pod : new Pod[] {succeeded, failed, running}) {
            await().atMost(WAIT)
                    .untilAsserted(() -> given().get(
                                    "/api/runs/{uid}", pod.getMetadata().getUid())
                            .then()
                            .statusCode(200));
        }
        try (SseClient client = new SseClient(feed, null)) {
            await().atMost(WAIT).until(() -> client.status() == 200);
        }
        await().atMost(WAIT)
                .until(() -> scrape().contains("stagewatch_observations_invalid_total{")
                        && scrape().contains("stagewatch_finalizer_patches_total{"));
        scrape = scrape();
    }

    @Test
    void everyStagewatchMetricHasAHelpTextAndPromtoolFindsNothingToLint() throws Exception {
        Map<String, String> help = new TreeMap<>();
        Matcher line = Pattern.compile("(?m)^# HELP (stagewatch_\\w+) ?(.*)$").matcher(scrape);
        while (line.find()) {
            help.put(line.group(1), line.group(2).trim());
        }
        Set<String> typed = families("(?m)^# TYPE (stagewatch_\\w+) ");
        assertTrue(
                typed.containsAll(EXPECTED),
                "the scrape has the stagewatch metrics: missing "
                        + EXPECTED.stream()
                                .filter(name -> !typed.contains(name))
                                .toList());
        for (String family : typed) {
            assertTrue(!help.getOrDefault(family, "").isEmpty(), family + " has a HELP text");
        }

        Promtool.Result lint = Promtool.run(scrape, "check", "metrics");
        String findings = lint.output()
                .lines()
                .filter(finding -> finding.startsWith("stagewatch_"))
                .collect(Collectors.joining("\n"));
        assertEquals("", findings, "promtool check metrics on the stagewatch metrics");
    }

    @Test
    void everyMetricTheAlertRulesAndTheDashboardNameIsInTheScrape() throws IOException {
        Set<String> scraped = families("(?m)^(stagewatch_\\w+)[{ ]");
        Map<Path, Set<String>> named =
                Map.of(RULES, names(rulesExpressions()), DASHBOARD, names(dashboardExpressions()));
        named.forEach((file, names) -> {
            assertTrue(names.size() >= 8, file + " names stagewatch metrics");
            Set<String> missing = new TreeSet<>(names);
            missing.removeAll(scraped);
            assertEquals(Set.of(), missing, file + " names metrics that a scrape does not have");
        });
    }

    private Set<String> families(String regex) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(scrape);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String rulesExpressions() throws IOException {
        return AlertRulesTest.rules(AlertRulesTest.spec()).stream()
                .map(rule -> rule.path("expr").asText())
                .collect(Collectors.joining("\n"));
    }

    private static String dashboardExpressions() throws IOException {
        StringBuilder expressions = new StringBuilder();
        new ObjectMapper()
                .readTree(DASHBOARD.toFile())
                .findValues("expr")
                .forEach(expr -> expressions.append(expr.asText()).append('\n'));
        return expressions.toString();
    }

    private static Set<String> names(String expressions) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = STAGEWATCH_NAME.matcher(expressions);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    private String scrape() {
        return given().accept(TEXT_FORMAT)
                .get(management + "metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
