package io.stagewatch.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stagewatch.notification.RuleValidator.WebhookFields;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which requested rules are accepted, what is stored for them, and which field a refusal names. */
class RuleValidatorTest {

    private static final String NAME = "payments on call";
    private static final String PIPELINE = "payments-*";
    private static final List<String> STAGES = List.of("CI", "POST_CD");
    private static final List<String> EVENTS = List.of("FAILED");
    private static final List<String> RECIPIENTS = List.of("ops@example.org");
    private static final RecipientPolicy ANY_DOMAIN = RecipientPolicy.open(10);

    @Test
    void aValidRuleIsNormalizedIntoADraft() {
        NotificationRule rule = RuleValidator.validate(
                "  " + NAME + " ",
                " payments-* ",
                List.of("POST_CD", "CI", "POST_CD"),
                List.of("FAILED", "STARTED", "FAILED"),
                List.of(" Ops@Example.org", "dev@example.org", "OPS@EXAMPLE.ORG ", "ops@example.org"),
                null,
                List.of(),
                Set.of(),
                ANY_DOMAIN);

        assertNull(rule.id());
        assertNull(rule.createdAt());
        assertEquals(NAME, rule.name());
        assertEquals(PIPELINE, rule.pipeline());
        assertEquals("payments-%", rule.pipelineLike());
        assertEquals(List.of(Stage.POST_CD, Stage.CI), rule.stages(), "duplicates dropped, order kept");
        assertEquals(List.of(NotificationEvent.FAILED, NotificationEvent.STARTED), rule.events());
        assertEquals(
                List.of("ops@example.org", "dev@example.org"),
                rule.recipients(),
                "normalized, duplicates dropped, order kept");
    }

    @Test
    void exactlyTheLimitsAreAccepted() {
        String name = "n".repeat(RuleValidator.MAX_NAME_LENGTH);
        List<String> recipients = addresses(RuleValidator.MAX_RECIPIENTS);
        NotificationRule rule = RuleValidator.validate(
                name, PIPELINE, STAGES, EVENTS, recipients, null, List.of(), Set.of(), ANY_DOMAIN);
        assertEquals(name, rule.name());
        assertEquals(RuleValidator.MAX_RECIPIENTS, rule.recipients().size());
    }

    @Test
    void nameLengthCountsCharactersNotUtf16Units() {
        String name = "\uD83D\uDE80".repeat(RuleValidator.MAX_NAME_LENGTH); // 200 rockets, 400 chars
        assertEquals(
                name,
                RuleValidator.validate(
                                name, PIPELINE, STAGES, EVENTS, RECIPIENTS, null, List.of(), Set.of(), ANY_DOMAIN)
                        .name());
    }

    static Stream<Arguments> invalidRules() {
        return Stream.of(
                invalid("name", "missing", null, PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid("name", "empty", "", PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid("name", "blank", " \t ", PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid("name", "201 characters", "n".repeat(201), PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid(
                        "name",
                        "a NUL, which PostgreSQL text cannot hold",
                        "a\u0000b",
                        PIPELINE,
                        STAGES,
                        EVENTS,
                        RECIPIENTS),
                invalid("pipeline", "missing", NAME, null, STAGES, EVENTS, RECIPIENTS),
                invalid("pipeline", "blank", NAME, "  ", STAGES, EVENTS, RECIPIENTS),
                invalid("pipeline", "a line break", NAME, "pay\nments", STAGES, EVENTS, RECIPIENTS),
                invalid("stages", "missing", NAME, PIPELINE, null, EVENTS, RECIPIENTS),
                invalid("stages", "empty", NAME, PIPELINE, List.of(), EVENTS, RECIPIENTS),
                invalid("stages", "unknown", NAME, PIPELINE, List.of("CI", "QA"), EVENTS, RECIPIENTS),
                invalid("stages", "a label, not the API name", NAME, PIPELINE, List.of("pre-cd"), EVENTS, RECIPIENTS),
                invalid("stages", "a null element", NAME, PIPELINE, Arrays.asList("CI", null), EVENTS, RECIPIENTS),
                invalid("events", "missing", NAME, PIPELINE, STAGES, null, RECIPIENTS),
                invalid("events", "empty", NAME, PIPELINE, STAGES, List.of(), RECIPIENTS),
                invalid("events", "unknown", NAME, PIPELINE, STAGES, List.of("RUNNING"), RECIPIENTS),
                invalid("events", "lower case", NAME, PIPELINE, STAGES, List.of("failed"), RECIPIENTS),
                invalid("recipients", "missing", NAME, PIPELINE, STAGES, EVENTS, null),
                invalid("recipients", "empty", NAME, PIPELINE, STAGES, EVENTS, List.of()),
                invalid("recipients", "101 addresses", NAME, PIPELINE, STAGES, EVENTS, addresses(101)),
                invalid(
                        "recipients",
                        "one invalid address",
                        NAME,
                        PIPELINE,
                        STAGES,
                        EVENTS,
                        List.of("ops@example.org", "not-an-address")),
                invalid("recipients", "a blank address", NAME, PIPELINE, STAGES, EVENTS, List.of("  ")),
                invalid("recipients", "a null address", NAME, PIPELINE, STAGES, EVENTS, Arrays.asList((String) null)),
                invalid(
                        "recipients",
                        "a trailing CR LF that trimming would hide",
                        NAME,
                        PIPELINE,
                        STAGES,
                        EVENTS,
                        List.of("ops@example.org\r\n")),
                invalid(
                        "recipients",
                        "an injected header",
                        NAME,
                        PIPELINE,
                        STAGES,
                        EVENTS,
                        List.of("ops@example.org\r\nBcc: victim@example.org")),
                invalid("recipients", "a bare LF", NAME, PIPELINE, STAGES, EVENTS, List.of("ops@example.org\nx")),
                invalid(
                        "recipients",
                        "two addresses in one",
                        NAME,
                        PIPELINE,
                        STAGES,
                        EVENTS,
                        List.of("ops@example.org, dev@example.org")));
    }

    @Test
    void withAllowedDomainsARecipientElsewhereIsRefusedAndNamed() {
        RecipientPolicy policy = new RecipientPolicy(10, Optional.empty(), Set.of("Example.org", "ops.example.com"));
        assertEquals(
                List.of("a@example.org", "b@ops.example.com"),
                RuleValidator.validate(
                                NAME,
                                PIPELINE,
                                STAGES,
                                EVENTS,
                                List.of("a@EXAMPLE.org", "b@ops.example.com"),
                                null,
                                List.of(),
                                Set.of(),
                                policy)
                        .recipients());
        RuleValidator.InvalidRule e = assertThrows(
                RuleValidator.InvalidRule.class,
                () -> RuleValidator.validate(
                        NAME,
                        PIPELINE,
                        STAGES,
                        EVENTS,
                        List.of("a@example.org", "x@evil.example.org"),
                        null,
                        List.of(),
                        Set.of(),
                        policy));
        assertEquals("recipients", e.field());
        assertEquals(
                "recipients[1] is at a domain stagewatch may not mail: 'x@evil.example.org' "
                        + "(stagewatch.notify.allowed-domains: example.org, ops.example.com)",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidRules")
    void anInvalidFieldIsNamed(
            String field,
            String why,
            String name,
            String pipeline,
            List<String> stages,
            List<String> events,
            List<String> recipients) {
        RuleValidator.InvalidRule e = assertThrows(
                RuleValidator.InvalidRule.class,
                () -> RuleValidator.validate(
                        name, pipeline, stages, events, recipients, null, List.of(), Set.of(), ANY_DOMAIN));
        assertEquals(field, e.field());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the refusal explains itself");
    }

    @Test
    void eachStatusAnnouncesItsEvent() {
        assertEquals(
                NotificationEvent.STARTED,
                NotificationEvent.of(RunStatus.RUNNING).orElseThrow());
        assertEquals(
                NotificationEvent.SUCCEEDED,
                NotificationEvent.of(RunStatus.SUCCEEDED).orElseThrow());
        assertEquals(
                NotificationEvent.FAILED, NotificationEvent.of(RunStatus.FAILED).orElseThrow());
        assertTrue(NotificationEvent.of(RunStatus.PENDING).isEmpty());
    }

    private static Arguments invalid(
            String field,
            String why,
            String name,
            String pipeline,
            List<String> stages,
            List<String> events,
            List<String> recipients) {
        return Arguments.of(field, why, name, pipeline, stages, events, recipients);
    }

    private static final String SLACK = "https://hooks.slack.com/services/T0/B0/credential";
    private static final String HOOK = "https://ci.example.org/hooks/stagewatch";

    private static NotificationRule withWebhooks(
            List<String> recipients, List<WebhookFields> webhooks, List<Webhook> stored) {
        return RuleValidator.validate(
                NAME, PIPELINE, STAGES, EVENTS, recipients, webhooks, stored, Set.of("receiver.test"), ANY_DOMAIN);
    }

    @Test
    void aRuleMayHaveWebhooksAndNoRecipientsButNotNeither() {
        NotificationRule rule = withWebhooks(
                List.of(),
                List.of(
                        new WebhookFields(HOOK, "json", "s3cret"),
                        new WebhookFields(SLACK, "slack", null),
                        new WebhookFields(HOOK, "json", "other")),
                List.of());
        assertEquals(
                List.of(new Webhook(HOOK, Webhook.Kind.JSON, "s3cret"), new Webhook(SLACK, Webhook.Kind.SLACK, null)),
                rule.webhooks(),
                "the same kind and URL once, the first one");
        assertEquals(List.of(), rule.recipients());
        RuleValidator.InvalidRule neither =
                assertThrows(RuleValidator.InvalidRule.class, () -> withWebhooks(List.of(), List.of(), List.of()));
        assertEquals("recipients", neither.field());
    }

    @Test
    void theHiddenSecretAndTheShownSlackUrlKeepWhatIsStored() {
        List<Webhook> stored = List.of(
                new Webhook(SLACK, Webhook.Kind.SLACK, "slack-key"), new Webhook(HOOK, Webhook.Kind.JSON, "json-key"));
        NotificationRule rule = withWebhooks(
                RECIPIENTS,
                List.of(
                        new WebhookFields("https://hooks.slack.com", "slack", "***"),
                        new WebhookFields(HOOK, "json", "***")),
                stored);
        assertEquals(stored, rule.webhooks());

        NotificationRule replaced =
                withWebhooks(RECIPIENTS, List.of(new WebhookFields(HOOK, "json", "new-key")), stored);
        assertEquals(List.of(new Webhook(HOOK, Webhook.Kind.JSON, "new-key")), replaced.webhooks());

        RuleValidator.InvalidRule nothingToKeep = assertThrows(
                RuleValidator.InvalidRule.class,
                () -> withWebhooks(
                        RECIPIENTS,
                        List.of(new WebhookFields("https://elsewhere.example.org/x", "json", "***")),
                        stored));
        assertEquals("webhooks", nothingToKeep.field());
    }

    @Test
    void aSecretNeverAppearsInAWebhooksText() {
        Webhook webhook = new Webhook(SLACK, Webhook.Kind.SLACK, "s3cret-value");
        assertTrue(
                !webhook.toString().contains("s3cret-value")
                        && !webhook.toString().contains("credential"),
                webhook.toString());
        assertEquals("https://hooks.slack.com", webhook.displayUrl());
    }

    static Stream<Arguments> invalidWebhooks() {
        return Stream.of(
                Arguments.of("no kind", new WebhookFields(HOOK, null, null)),
                Arguments.of("an unknown kind", new WebhookFields(HOOK, "teams", null)),
                Arguments.of("no url", new WebhookFields(null, "json", null)),
                Arguments.of("a relative url", new WebhookFields("/hooks", "json", null)),
                Arguments.of("plain http", new WebhookFields("http://ci.example.org/hook", "json", null)),
                Arguments.of("another scheme", new WebhookFields("ftp://ci.example.org/hook", "json", null)),
                Arguments.of(
                        "user information", new WebhookFields("https://user:pw@ci.example.org/hook", "json", null)),
                Arguments.of("localhost", new WebhookFields("https://localhost/hook", "json", null)),
                Arguments.of("a name under localhost", new WebhookFields("https://api.localhost/hook", "json", null)),
                Arguments.of(
                        "the cloud metadata address",
                        new WebhookFields("https://169.254.169.254/latest", "json", null)),
                Arguments.of("a private address", new WebhookFields("https://10.1.2.3/hook", "json", null)),
                Arguments.of("a loopback address", new WebhookFields("https://127.0.0.2:8443/hook", "slack", null)),
                Arguments.of("the IPv6 loopback", new WebhookFields("https://[::1]/hook", "json", null)),
                Arguments.of(
                        "an IPv4-mapped address", new WebhookFields("https://[::ffff:10.0.0.1]/hook", "json", null)),
                Arguments.of("a control character in the secret", new WebhookFields(HOOK, "json", "a\nb")),
                Arguments.of("an overlong secret", new WebhookFields(HOOK, "json", "s".repeat(257))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidWebhooks")
    void anInvalidWebhookIsNamed(String why, WebhookFields webhook) {
        RuleValidator.InvalidRule e = assertThrows(
                RuleValidator.InvalidRule.class, () -> withWebhooks(RECIPIENTS, List.of(webhook), List.of()));
        assertEquals("webhooks", e.field());
        assertTrue(e.getMessage().startsWith("webhooks[0]"), e.getMessage());
    }

    @Test
    void anAllowedHostMayUsePlainHttp() {
        assertEquals(
                "http://receiver.test:8080/x",
                withWebhooks(
                                List.of(),
                                List.of(new WebhookFields("http://receiver.test:8080/x", "json", null)),
                                List.of())
                        .webhooks()
                        .get(0)
                        .url());
    }

    @Test
    void aRuleNamesClustersByTheirNamesOnceEachOrNoneForEveryCluster() {
        assertEquals(List.of("east", "west"), RuleValidator.clusters(List.of("east", "west", "east")));
        assertEquals(List.of(), RuleValidator.clusters(null));
        RuleValidator.InvalidRule e =
                assertThrows(RuleValidator.InvalidRule.class, () -> RuleValidator.clusters(List.of("east", "West")));
        assertEquals("clusters", e.field());
        assertTrue(e.getMessage().contains("'West' is not a cluster name"), e.getMessage());
    }

    private static List<String> addresses(int count) {
        return new ArrayList<>(IntStream.range(0, count)
                .mapToObj(i -> "ops" + i + "@example.org")
                .toList());
    }
}
