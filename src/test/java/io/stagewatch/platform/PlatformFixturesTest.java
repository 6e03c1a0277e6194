package io.stagewatch.platform;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.kube.SlimPods;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.PodClassifier;
import io.stagewatch.run.Verdict;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.Fixtures;
import io.stagewatch.testing.Fixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every platform fixture, as the informer would keep it (slim), claimed by the enabled profiles, mapped to a run and
 * classified by its platform's container rules: the pure half of {@code PlatformsPipelineTest}.
 */
class PlatformFixturesTest {

    private static final Profiles PROFILES = AllProfiles.profiles();
    private static final SlimPods SLIM = AllProfiles.slimPods();

    @Test
    void everyPlatformHasFixtures() {
        for (String platform : new String[] {"devtron-system", "devtron-awf", "argo", "tekton", "job"}) {
            assertTrue(Fixtures.platforms().stream().anyMatch(f -> f.file().startsWith(platform + "-")), platform);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stagewatch.testing.Fixtures#platforms")
    void fixturePodIsReadAndJudgedByItsPlatform(Fixture fixture) {
        Pod slim = SLIM.slim(fixture.pod());
        JsonNode expected = fixture.expected();
        Profile profile = PROFILES.claimant(slim.getMetadata());
        if (expected.has("skipped")) {
            String problem = expected.get("skipped").asText();
            if ("not-claimed".equals(problem)) {
                assertNull(profile, fixture.description());
            } else {
                assertNotNull(profile, fixture.description());
                MalformedPodException e = assertThrows(MalformedPodException.class, () -> profile.map(slim));
                assertEquals(problem, e.problem());
                assertFalse(
                        e.getMessage().contains("SECRET"),
                        "the problem quotes nothing of the event: " + e.getMessage());
            }
            return;
        }
        assertNotNull(profile, "claimed: " + fixture.description());
        RunMapping run = profile.map(slim);
        Verdict verdict = "DELETED".equals(fixture.event())
                ? PodClassifier.classifyDeleted(slim, run.rules())
                : PodClassifier.classify(slim, run.rules());
        assertAll(
                fixture.description(),
                () -> assertEquals(
                        expected.get("platform").asText(), run.platform().id(), "platform"),
                () -> assertEquals(expected.get("stage").asText(), run.stage().name(), "stage"),
                () -> assertEquals(
                        expected.get("workflow").asText(), run.names().workflow(), "workflow"),
                () -> assertEquals(text(expected, "pipeline"), run.names().pipeline(), "pipeline"),
                () -> assertEquals(text(expected, "app"), run.names().app(), "app"),
                () -> assertEquals(text(expected, "environment"), run.names().environment(), "environment"),
                () -> assertEquals(fixture.status(), verdict.status().name(), "status"),
                () -> assertEquals(
                        fixture.cause(),
                        verdict.cause() == null ? null : verdict.cause().name(),
                        "cause"),
                () -> assertEquals(
                        fixture.reason(),
                        verdict.reason() == null ? null : verdict.reason().name(),
                        "reason"),
                () -> Fixtures.assertMessageContains(expected, verdict.message()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stagewatch.testing.Fixtures#platforms")
    void theSlimCopyHoldsNoSecretOfThePod(Fixture fixture) {
        String slim = SLIM.slim(fixture.pod()).toString();
        assertFalse(slim.contains("SECRET"), slim);
        assertFalse(slim.contains("CI_CD_EVENT"), "no env variable at all: " + slim);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
