package io.stagewatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;

/** The bus holds at most one observation per run: what an outage costs is bounded by the runs, not by the passes. */
class ObservationBusTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void tenThousandRunsObservedOnThreePassesWaitAsTenThousandLatestObservations() {
        ObservationBus bus = new ObservationBus(20_000, registry);
        List<String> keys = new ArrayList<>();
        bus.keys().subscribe().with(keys::add);
        List<List<Observation>> passes = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            List<Observation> observations = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                observations.add(new Observation.PodSeen(Source.RECONCILE, pod("uid-" + i, "rv-" + pass), false));
            }
            observations.forEach(bus::publish);
            passes.add(observations);
        }

        assertEquals(10_000, bus.undecided());
        assertEquals(10_000, keys.size(), "one key per run, not one per pass");
        assertEquals(20_000, registry.counter("stagewatch.observations.superseded").count());
        for (int i = 0; i < 10_000; i++) {
            assertSame(passes.get(2).get(i), bus.take(keys.get(i)), "the latest observation is decided");
        }
    }

    @Test
    void aRunWhoseObservationWasTakenWaitsAgainWithItsNextOne() {
        ObservationBus bus = new ObservationBus(10, registry);
        List<String> keys = new ArrayList<>();
        bus.keys().subscribe().with(keys::add);
        bus.publish(new Observation.PodSeen(Source.WATCH, pod("a", "1"), false));
        Observation taken = bus.take("a");

        Observation next = new Observation.PodSeen(Source.WATCH, pod("a", "2"), false);
        bus.publish(next);

        assertEquals("1", ((Observation.PodSeen) taken).pod().getMetadata().getResourceVersion());
        assertEquals(List.of("a", "a"), keys);
        assertSame(next, bus.take("a"));
        assertNull(bus.take("a"));
    }

    @Test
    void aLiveSightingNeverReplacesTheNewsOfTheRunsEnd() {
        ObservationBus bus = new ObservationBus(10, registry);
        Observation deleted = new Observation.PodSeen(Source.WATCH, pod("a", "2"), true);
        Observation judged = new Observation.RunJudged("b", Verdict.failed(FailureReason.POD_VANISHED, "gone"));
        bus.publish(deleted);
        bus.publish(judged);

        bus.publish(new Observation.PodSeen(Source.RECONCILE, pod("a", "1"), false));
        bus.publish(new Observation.PodSeen(Source.RECONCILE, pod("b", "1"), false));

        assertSame(deleted, bus.take("a"));
        assertSame(judged, bus.take("b"));
    }

    @Test
    void beyondCapacityNewRunsAreDroppedAndCountedWhileWaitingOnesAreStillReplaced() {
        ObservationBus bus = new ObservationBus(2, registry);
        bus.publish(new Observation.PodSeen(Source.WATCH, pod("a", "1"), false));
        bus.publish(new Observation.PodSeen(Source.WATCH, pod("b", "1"), false));

        assertFalse(bus.publish(new Observation.PodSeen(Source.WATCH, pod("c", "1"), false)));
        Observation newer = new Observation.PodSeen(Source.WATCH, pod("a", "2"), false);
        bus.publish(newer);

        assertEquals(1.0, registry.counter("stagewatch.observations.dropped").count());
        assertEquals(2, bus.undecided());
        assertSame(newer, bus.take("a"));
    }

    private static Pod pod(String uid, String resourceVersion) {
        return new PodBuilder().withNewMetadata().withUid(uid).withNamespace("ci").withName(uid)
                .withResourceVersion(resourceVersion).endMetadata().build();
    }
}
