package io.stagewatch.testing;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.stagewatch.testing.Fixtures.Fixture;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Pods with text no cluster should hold and any cluster may (issue 22): the fixtures of {@link Fixtures#all}, each as
 * its dirty twin, with text appended to the fields a pod's author or a controller writes freely: its pipeline label
 * (which a profile may read from an annotation or a variable), and every message (the pod's, its conditions', its containers' termination and waiting messages).
 * The twin must be classified as the fixture is, and recorded and shown safe. The text comes from {@link #text}.
 */
public final class DirtyPods {

    public static final String PIPELINE = "stagewatch.io/pipeline";

    private DirtyPods() {}

    /** Any text: every char from U+0000 to U+FFFF (NUL, C1, lone surrogates), the hostile ones, and megabytes. */
    public static Arbitrary<String> text() {
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(1200);
        Arbitrary<String> hostile = Arbitraries.strings()
                .withChars('\u0000', '\r', '\u001B', '\u007F', '\u0085', '\u009F', '\uD800', '\uDBFF', '\uDC00', 'a')
                .withChars('\t', '\n', '\u00A0', '\uFFFD', '\u2026')
                .ofMaxLength(1200);
        Arbitrary<String> megabytes = Arbitraries.strings()
                .all()
                .ofMinLength(1)
                .ofMaxLength(40)
                .map(unit -> unit.repeat(1024 * 1024 / unit.length() + 1));
        return Arbitraries.frequencyOf(Tuple.of(5, anyChars), Tuple.of(5, hostile), Tuple.of(1, megabytes));
    }

    /** The fixtures that are runs, with a verdict to compare. */
    public static Arbitrary<Fixture> fixtures() {
        return Arbitraries.of(Fixtures.all().stream()
                .filter(fixture -> fixture.status() != null)
                .toList());
    }

    /**
     * A copy of the pod with the text appended to its pipeline label and every message it has. Not to its name: the API
     * server refuses a name that is not a DNS subdomain, and stagewatch calls the API with it (the finalizer).
     */
    public static Pod dirty(Pod clean, String text) {
        Pod pod = new PodBuilder(clean).build();
        if (pod.getMetadata().getLabels() != null) {
            pod.getMetadata().getLabels().computeIfPresent(PIPELINE, (key, value) -> value + text);
        }
        PodStatus status = pod.getStatus();
        if (status == null) {
            return pod;
        }
        status.setMessage(appended(status.getMessage(), text));
        for (PodCondition condition : nonNull(status.getConditions())) {
            condition.setMessage(appended(condition.getMessage(), text));
        }
        Stream.concat(
                        nonNull(status.getContainerStatuses()).stream(),
                        nonNull(status.getInitContainerStatuses()).stream())
                .map(ContainerStatus::getState)
                .filter(state -> state != null)
                .forEach(state -> dirty(state, text));
        return pod;
    }

    private static void dirty(ContainerState state, String text) {
        if (state.getTerminated() != null) {
            state.getTerminated().setMessage(appended(state.getTerminated().getMessage(), text));
        }
        if (state.getWaiting() != null) {
            state.getWaiting().setMessage(appended(state.getWaiting().getMessage(), text));
        }
    }

    private static String appended(String message, String text) {
        return message == null ? null : message + text;
    }

    private static <T> List<T> nonNull(List<T> items) {
        return items == null ? List.of() : items;
    }
}
