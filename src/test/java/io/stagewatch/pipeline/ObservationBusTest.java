package io.stagewatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.RunVersion;
import io.stagewatch.testing.AllProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bus holds at most one observation per run: what an outage costs is bounded by the runs, not by the passes. */
class ObservationBusTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    private final PodCodec codec = AllProfiles.slimPods();

    @Test
    void tenThousandRunsObservedOnThreePassesWaitAsTenThousandLatestObservations() {
        ObservationBus bus = new ObservationBus(20_000, codec, new KnownRuns(), metrics);
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
        assertEquals(
                20_000, registry.counter("stagewatch.observations.superseded").count());
        for (int i = 0; i < 10_000; i++) {
            assertSeen(passes.get(2).get(i), bus.take(keys.get(i)));
        }
    }

    @Test
    void aRunWhoseObservationWasTakenWaitsAgainWithItsNextOne() {
        ObservationBus bus = new ObservationBus(10, codec, new KnownRuns(), metrics);
        List<String> keys = new ArrayList<>();
        bus.keys().subscribe().with(keys::add);
        bus.publish(new Observation.PodSeen(Source.WATCH, pod("a", "1"), false));
        Observation taken = bus.take("a");

        Observation next = new Observation.PodSeen(Source.WATCH, pod("a", "2"), false);
        bus.publish(next);

        assertEquals("1", ((Observation.PodSeen) taken).pod().getMetadata().getResourceVersion());
        assertEquals(List.of("a", "a"), keys);
        assertSeen(next, bus.take("a"));
        assertNull(bus.take("a"));
    }

    @Test
    void aLiveSightingNeverReplacesTheNewsOfTheRunsEnd() {
        ObservationBus bus = new ObservationBus(10, codec, new KnownRuns(), metrics);
        Observation deleted = new Observation.PodSeen(Source.WATCH, pod("a", "2"), true);
        Observation judged = new Observation.RunJudged("b", Verdict.failed(FailureReason.POD_VANISHED, "gone"));
        bus.publish(deleted);
        bus.publish(judged);

        bus.publish(new Observation.PodSeen(Source.RECONCILE, pod("a", "1"), false));
        bus.publish(new Observation.PodSeen(Source.RECONCILE, pod("b", "1"), false));

        assertSeen(deleted, bus.take("a"));
        assertSame(judged, bus.take("b"));
    }

    @Test
    void aSightingOfTheVersionLastDecidedOnIsLeftOutButNeitherANewerVersionNorTheNewsOfTheEnd() {
        KnownRuns known = new KnownRuns();
        known.put("a", new KnownRun(new RunVersion(Stage.CI, RunStatus.SUCCEEDED, 3, null)).withDecidedOn("7"));
        ObservationBus bus = new ObservationBus(10, codec, known, metrics);

        assertTrue(bus.publish(new Observation.PodSeen(Source.WATCH, pod("a", "7"), false)));
        assertEquals(0, bus.undecided());
        assertEquals(1.0, registry.counter("stagewatch.observations.unchanged").count());

        Observation deleted = new Observation.PodSeen(Source.WATCH, pod("a", "7"), true);
        bus.publish(deleted);
        assertSeen(deleted, bus.take("a"));
        Observation newer = new Observation.PodSeen(Source.WATCH, pod("a", "8"), false);
        bus.publish(newer);
        assertSeen(newer, bus.take("a"));

        known.reconsider("a");
        bus.publish(new Observation.PodSeen(Source.RECONCILE, pod("a", "7"), false));
        assertEquals(1.0, registry.counter("stagewatch.observations.unchanged").count());
        assertEquals(3, bus.undecided());
    }

    @Test
    void beyondCapacityNewRunsAreDroppedAndCountedWhileWaitingOnesAreStillReplaced() {
        ObservationBus bus = new ObservationBus(2, codec, new KnownRuns(), metrics);
        bus.publish(new Observation.PodSeen(Source.WATCH, pod("a", "1"), false));
        bus.publish(new Observation.PodSeen(Source.WATCH, pod("b", "1"), false));

        assertFalse(bus.publish(new Observation.PodSeen(Source.WATCH, pod("c", "1"), false)));
        Observation newer = new Observation.PodSeen(Source.WATCH, pod("a", "2"), false);
        bus.publish(newer);

        assertEquals(1.0, registry.counter("stagewatch.observations.dropped").count());
        assertEquals(2, bus.undecided());
        assertSeen(newer, bus.take("a"));
    }

    @Test
    void aWaitingSightingKeepsOnlyTheSlimPod() {
        ObservationBus bus = new ObservationBus(10, codec, new KnownRuns(), metrics);
        Pod pod = new PodBuilder(pod("a", "1"))
                .editMetadata()
                .addNewManagedField()
                .withManager("kubelet")
                .endManagedField()
                .addToLabels("team", "payments")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .addNewEnv()
                .withName("TOKEN")
                .withValue("secret")
                .endEnv()
                .endContainer()
                .endSpec()
                .build();
        bus.publish(new Observation.PodSeen(Source.WATCH, pod, false));

        Pod taken = ((Observation.PodSeen) bus.take("a")).pod();

        assertEquals(codec.expand(codec.compact(pod)), taken);
        assertEquals(List.of(), taken.getMetadata().getManagedFields());
        assertEquals(Map.of(), taken.getMetadata().getLabels());
        assertEquals(List.of(), taken.getSpec().getContainers().get(0).getEnv());
    }

    /** The observation taken is the one published, with its pod's slim copy. */
    private void assertSeen(Observation published, Observation taken) {
        Observation.PodSeen seen = (Observation.PodSeen) published;
        assertEquals(
                new Observation.PodSeen(
                        seen.source(), codec.expand(codec.compact(seen.pod())), seen.deleted(), seen.receivedNanos()),
                taken);
    }

    private static Pod pod(String uid, String resourceVersion) {
        return new PodBuilder()
                .withNewMetadata()
                .withUid(uid)
                .withNamespace("ci")
                .withName(uid)
                .withResourceVersion(resourceVersion)
                .endMetadata()
                .build();
    }
}
