package io.stagewatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.notification.Webhook;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A rules file's content to rules, or to the line and the reason it cannot be loaded (plain JUnit). */
class RulesFileTest {

    private static final String FILE = "/etc/stagewatch/rules.yaml";
    private static final Map<String, String> ENVIRONMENT = Map.of("HOOK_SECRET", "s3cret", "OTHER_SECRET", "other");

    @Test
    void yamlRulesAreTheRulesTheApiWouldMakeWithSecretsFromTheEnvironment() throws Exception {
        RulesFile file = parse("""
                # payments
                rules:
                  - name: payments on call
                    pipeline: payments-*
                    stages: [CI, POST_CD]
                    events: [FAILED]
                    recipients: [" Ops@Example.org"]
                    platforms: [argo]
                  - name: signed hook
                    pipeline: "*"
                    stages: [CI]
                    events: [SUCCEEDED]
                    webhooks:
                      - url: https://hooks.example.org/stagewatch
                        kind: json
                        secretEnv: HOOK_SECRET
                """);
        assertEquals(2, file.rules().size());
        assertEquals("payments on call", file.rules().get(0).name());
        assertEquals(List.of("ops@example.org"), file.rules().get(0).recipients(), "normalized as the API does");
        assertEquals(List.of(NotificationEvent.SUCCEEDED), file.rules().get(1).events());
        assertEquals(
                List.of(new Webhook("https://hooks.example.org/stagewatch", Webhook.Kind.JSON, "s3cret")),
                file.rules().get(1).webhooks());
        assertTrue(file.rules().stream().allMatch(rule -> FILE.equals(rule.file())), "each rule names its file");
    }

    @Test
    void jsonIsReadToo() throws Exception {
        RulesFile file = parse("""
                {"rules": [{"name": "a", "pipeline": "p", "stages": ["CI"], "events": ["FAILED"],
                            "recipients": ["a@example.org"]}]}""");
        assertEquals("a", file.rules().get(0).name());
    }

    @Test
    void theDigestChangesWithTheSecretAsWellAsWithTheFile() throws Exception {
        String content = """
                rules:
                  - {name: a, pipeline: p, stages: [CI], events: [FAILED],
                     webhooks: [{url: "https://hooks.example.org/a", kind: json, secretEnv: HOOK_SECRET}]}
                """;
        String digest = parse(content).digest();
        assertEquals(digest, parse(content).digest());
        assertNotEquals(
                digest,
                RulesFile.parse(FILE, bytes(content), Map.of("HOOK_SECRET", "rotated")::get, Set.of(), open())
                        .digest());
        assertNotEquals(digest, parse(content.replace("FAILED", "SUCCEEDED")).digest());
    }

    static Stream<Arguments> brokenFiles() {
        String rule = "{name: a, pipeline: p, stages: [CI], events: [FAILED], ";
        return Stream.of(
                arguments(
                        "rules:\n  - {name: a, pipeline: p, stages: [CII], events: [FAILED], recipients: [a@example.org]}",
                        2,
                        "rules[0]: 'CII' is not one of [CI, PRE_CD, POST_CD]"),
                arguments("rules:\n  - name: a\n    pipeline: p\n    stagez: [CI]", 4, "unknown field 'stagez'"),
                arguments(
                        "rules:\n  - " + rule + "webhooks: [{url: 'https://h.example.org/', kind: json, secret: x}]}",
                        2,
                        "rules[0].webhooks[0].secret: a rules file never holds a secret"),
                arguments(
                        "rules:\n  - " + rule
                                + "webhooks: [{url: 'https://h.example.org/', kind: json, secretEnv: UNSET}]}",
                        2,
                        "rules[0].webhooks[0].secretEnv: the environment variable UNSET is not set"),
                arguments(
                        "rules:\n  - " + rule + "recipients: [a@example.org]}\n  - " + rule
                                + "recipients: [b@example.org]}",
                        3,
                        "rules[1]: a second rule named 'a'"),
                arguments("rule: []", 1, "unknown key 'rule'"),
                arguments("rules: {}", 1, "'rules' must be a list"),
                arguments("rules: [1]", 1, "rules[0] must be a map"),
                arguments("", 1, "the file must hold a map with the key 'rules'"),
                arguments("rules:\n  - {name: a\n", 2, "while parsing a flow mapping"));
    }

    @ParameterizedTest
    @MethodSource("brokenFiles")
    void aFileThatCannotBeLoadedNamesTheLineAndTheReason(String content, int line, String reason) {
        RulesFile.Invalid invalid = assertThrows(RulesFile.Invalid.class, () -> parse(content));
        assertTrue(invalid.getMessage().contains(reason), invalid.getMessage());
        assertEquals(line, invalid.line(), invalid.getMessage());
    }

    private static RulesFile parse(String content) throws RulesFile.Invalid {
        return RulesFile.parse(FILE, bytes(content), ENVIRONMENT::get, Set.of(), open());
    }

    private static RecipientPolicy open() {
        return RecipientPolicy.open(10);
    }

    private static byte[] bytes(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }
}
