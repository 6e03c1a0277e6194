package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.ClusterText;
import io.stagewatch.run.PodClassifier;
import io.stagewatch.run.Verdict;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.DirtyPods;
import io.stagewatch.testing.Fixtures.Fixture;
import java.util.Objects;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of a dirty pod where it enters ({@link SlimPods}, the one place every pod passes) and through the
 * classifier: its slim copy holds only safe text of bounded length, and it gets the verdict of its clean twin.
 */
class DirtyPodsTest {

    private static final SlimPods SLIM_PODS = AllProfiles.slimPods();

    @Provide
    Arbitrary<Fixture> fixtures() {
        return DirtyPods.fixtures();
    }

    @Provide
    Arbitrary<String> text() {
        return DirtyPods.text();
    }

    @Property(tries = 200)
    void aDirtyPodGetsTheVerdictOfItsCleanTwin(@ForAll("fixtures") Fixture fixture, @ForAll("text") String text) {
        Verdict verdict = classify(fixture, SLIM_PODS.slim(DirtyPods.dirty(fixture.pod(), text)));
        Verdict twin = classify(fixture, SLIM_PODS.slim(fixture.pod()));
        assertEquals(twin.status(), verdict.status(), fixture.file());
        assertEquals(twin.cause(), verdict.cause(), fixture.file());
        assertEquals(twin.reason(), verdict.reason(), fixture.file());
        assertEquals(fixture.status(), verdict.status().name(), fixture.file());
        if (verdict.message() != null) {
            assertTrue(ClusterText.isClean(verdict.message()), "the verdict's message is safe");
            assertTrue(verdict.message().length() <= ClusterText.MAX_MESSAGE + 3 * ClusterText.MAX_NAME);
        }
    }

    @Property(tries = 200)
    void theSlimCopyOfADirtyPodHoldsOnlySafeBoundedText(
            @ForAll("fixtures") Fixture fixture, @ForAll("text") String text) {
        Pod slim = SLIM_PODS.slim(DirtyPods.dirty(fixture.pod(), text));
        assertSafe(slim.getMetadata().getLabels().get(DirtyPods.PIPELINE), ClusterText.MAX_NAME);
        assertSafe(slim.getStatus().getMessage(), ClusterText.MAX_MESSAGE);
        slim.getStatus().getConditions().forEach(c -> assertSafe(c.getMessage(), ClusterText.MAX_MESSAGE));
        slim.getStatus().getContainerStatuses().stream()
                .map(status -> status.getState())
                .filter(Objects::nonNull)
                .forEach(state -> {
                    if (state.getTerminated() != null) {
                        assertSafe(state.getTerminated().getMessage(), ClusterText.MAX_MESSAGE);
                    }
                    if (state.getWaiting() != null) {
                        assertSafe(state.getWaiting().getMessage(), ClusterText.MAX_MESSAGE);
                    }
                });
    }

    private static Verdict classify(Fixture fixture, Pod pod) {
        return "DELETED".equals(fixture.event()) ? PodClassifier.classifyDeleted(pod) : PodClassifier.classify(pod);
    }

    private static void assertSafe(String text, int max) {
        if (text != null) {
            assertTrue(text.length() <= max, "length " + text.length());
            assertTrue(ClusterText.isClean(text), "no control character, no lone surrogate");
        }
    }
}
