package io.stagewatch.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;

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
        NotificationRule rule = RuleValidator.validate("  " + NAME + " ", " payments-* ", List.of("POST_CD", "CI", "POST_CD"),
                List.of("FAILED", "STARTED", "FAILED"),
                List.of(" Ops@Example.org", "dev@example.org", "OPS@EXAMPLE.ORG ", "ops@example.org"), ANY_DOMAIN);

        assertNull(rule.id());
        assertNull(rule.createdAt());
        assertEquals(NAME, rule.name());
        assertEquals(PIPELINE, rule.pipeline());
        assertEquals("payments-%", rule.pipelineLike());
        assertEquals(List.of(Stage.POST_CD, Stage.CI), rule.stages(), "duplicates dropped, order kept");
        assertEquals(List.of(NotificationEvent.FAILED, NotificationEvent.STARTED), rule.events());
        assertEquals(List.of("ops@example.org", "dev@example.org"), rule.recipients(),
                "normalized, duplicates dropped, order kept");
    }

    @Test
    void exactlyTheLimitsAreAccepted() {
        String name = "n".repeat(RuleValidator.MAX_NAME_LENGTH);
        List<String> recipients = addresses(RuleValidator.MAX_RECIPIENTS);
        NotificationRule rule = RuleValidator.validate(name, PIPELINE, STAGES, EVENTS, recipients, ANY_DOMAIN);
        assertEquals(name, rule.name());
        assertEquals(RuleValidator.MAX_RECIPIENTS, rule.recipients().size());
    }

    @Test
    void nameLengthCountsCharactersNotUtf16Units() {
        String name = "\uD83D\uDE80".repeat(RuleValidator.MAX_NAME_LENGTH); // 200 rockets, 400 chars
        assertEquals(name, RuleValidator.validate(name, PIPELINE, STAGES, EVENTS, RECIPIENTS, ANY_DOMAIN).name());
    }

    static Stream<Arguments> invalidRules() {
        return Stream.of(
                invalid("name", "missing", null, PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid("name", "empty", "", PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid("name", "blank", " \t ", PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid("name", "201 characters", "n".repeat(201), PIPELINE, STAGES, EVENTS, RECIPIENTS),
                invalid("name", "a NUL, which PostgreSQL text cannot hold", "a\u0000b", PIPELINE, STAGES, EVENTS, RECIPIENTS),
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
                invalid("recipients", "one invalid address", NAME, PIPELINE, STAGES, EVENTS,
                        List.of("ops@example.org", "not-an-address")),
                invalid("recipients", "a blank address", NAME, PIPELINE, STAGES, EVENTS, List.of("  ")),
                invalid("recipients", "a null address", NAME, PIPELINE, STAGES, EVENTS, Arrays.asList((String) null)),
                invalid("recipients", "a trailing CR LF that trimming would hide", NAME, PIPELINE, STAGES, EVENTS,
                        List.of("ops@example.org\r\n")),
                invalid("recipients", "an injected header", NAME, PIPELINE, STAGES, EVENTS,
                        List.of("ops@example.org\r\nBcc: victim@example.org")),
                invalid("recipients", "a bare LF", NAME, PIPELINE, STAGES, EVENTS, List.of("ops@example.org\nx")),
                invalid("recipients", "two addresses in one", NAME, PIPELINE, STAGES, EVENTS,
                        List.of("ops@example.org, dev@example.org")));
    }

    @Test
    void withAllowedDomainsARecipientElsewhereIsRefusedAndNamed() {
        RecipientPolicy policy = new RecipientPolicy(10, Optional.empty(), Set.of("Example.org", "ops.example.com"));
        assertEquals(List.of("a@example.org", "b@ops.example.com"), RuleValidator.validate(NAME, PIPELINE, STAGES, EVENTS,
                List.of("a@EXAMPLE.org", "b@ops.example.com"), policy).recipients());
        RuleValidator.InvalidRule e = assertThrows(RuleValidator.InvalidRule.class, () -> RuleValidator.validate(NAME,
                PIPELINE, STAGES, EVENTS, List.of("a@example.org", "x@evil.example.org"), policy));
        assertEquals("recipients", e.field());
        assertEquals("recipients[1] is at a domain stagewatch may not mail: 'x@evil.example.org' "
                + "(stagewatch.notify.allowed-domains: example.org, ops.example.com)", e.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidRules")
    void anInvalidFieldIsNamed(String field, String why, String name, String pipeline, List<String> stages,
            List<String> events, List<String> recipients) {
        RuleValidator.InvalidRule e = assertThrows(RuleValidator.InvalidRule.class,
                () -> RuleValidator.validate(name, pipeline, stages, events, recipients, ANY_DOMAIN));
        assertEquals(field, e.field());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the refusal explains itself");
    }

    @Test
    void eachStatusAnnouncesItsEvent() {
        assertEquals(NotificationEvent.STARTED, NotificationEvent.of(RunStatus.RUNNING).orElseThrow());
        assertEquals(NotificationEvent.SUCCEEDED, NotificationEvent.of(RunStatus.SUCCEEDED).orElseThrow());
        assertEquals(NotificationEvent.FAILED, NotificationEvent.of(RunStatus.FAILED).orElseThrow());
        assertTrue(NotificationEvent.of(RunStatus.PENDING).isEmpty());
    }

    private static Arguments invalid(String field, String why, String name, String pipeline, List<String> stages,
            List<String> events, List<String> recipients) {
        return Arguments.of(field, why, name, pipeline, stages, events, recipients);
    }

    private static List<String> addresses(int count) {
        return new ArrayList<>(IntStream.range(0, count).mapToObj(i -> "ops" + i + "@example.org").toList());
    }
}
