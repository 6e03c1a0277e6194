package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of {@code k8s/monitoring/prometheusrule.yaml}: the alerts issue 14 asks for, each with a summary, a
 * description and a runbook entry in docs/operating.md; Prometheus' own {@code promtool check rules} accepts the groups
 * and {@code promtool test rules} (src/test/resources/alerts/stagewatch-test.yaml) shows when they fire.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("k8s/monitoring/prometheusrule.yaml");
    private static final Path RUNBOOK = Path.of("docs/operating.md");
    private static final Path UNIT_TESTS = Path.of("src/test/resources/alerts/stagewatch-test.yaml");
    private static final Path WORK = Path.of("target/alerts");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyAlertHasASummaryADescriptionAndARunbookEntry() throws IOException {
        String runbook = Files.readString(RUNBOOK);
        List<JsonNode> rules = rules(spec());
        assertEquals(
                Set.of(
                        "StagewatchInformerNotWatching",
                        "StagewatchReconcileFailing",
                        "StagewatchNotificationBacklogOld",
                        "StagewatchNotificationDead",
                        "StagewatchObservationsDropped",
                        "StagewatchFinalizerForced",
                        "StagewatchFeedLagging",
                        "StagewatchDatabaseUnreachable",
                        "StagewatchRunsAtRisk"),
                rules.stream().map(rule -> rule.path("alert").asText()).collect(Collectors.toSet()));
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            JsonNode annotations = rule.path("annotations");
            assertFalse(annotations.path("summary").asText().isBlank(), alert + " has a summary");
            assertTrue(
                    annotations.path("description").asText().contains("Likely cause"),
                    alert + "'s description names the likely cause");
            assertEquals(
                    "docs/operating.md#" + alert.toLowerCase(Locale.ROOT),
                    annotations.path("runbook_url").asText(),
                    alert + " points at its runbook entry");
            String entry = section(runbook, "### " + alert);
            for (String part : List.of("What it means", "What to check", "How to recover")) {
                assertTrue(entry.contains("**" + part + "**"), "the runbook entry of " + alert + " says " + part);
            }
            assertTrue(
                    List.of("critical", "warning")
                            .contains(rule.path("labels").path("severity").asText()),
                    alert + " has a severity");
        }
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        Promtool.require();
        Files.createDirectories(WORK);
        ObjectNode spec = spec();
        Path full = WORK.resolve("stagewatch-rules.yaml");
        YAML.writeValue(full.toFile(), spec);
        Promtool.Result check = Promtool.run(null, "check", "rules", full.toString());
        assertEquals(0, check.exitCode(), check.output());

        // the unit tests state when an alert fires; the annotations are checked above
        rules(spec).forEach(rule -> ((ObjectNode) rule).remove("annotations"));
        YAML.writeValue(WORK.resolve("rules.yaml").toFile(), spec);
        Path tests =
                Files.copy(UNIT_TESTS, WORK.resolve(UNIT_TESTS.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Promtool.Result test = Promtool.run(null, "test", "rules", tests.toString());
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    /** The manifest's spec: {@code groups}, as a rule file has them. */
    static ObjectNode spec() throws IOException {
        JsonNode manifest = YAML.readTree(RULES.toFile());
        assertEquals("PrometheusRule", manifest.path("kind").asText());
        return (ObjectNode) manifest.path("spec");
    }

    static List<JsonNode> rules(ObjectNode spec) {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : (ArrayNode) spec.path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading + "\n");
        assertTrue(start >= 0, "docs/operating.md has the heading '" + heading + "'");
        int end = markdown.indexOf("\n#", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }
}
