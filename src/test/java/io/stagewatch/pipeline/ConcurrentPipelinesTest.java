package io.stagewatch.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.platform.Profiles;
import io.stagewatch.platform.StagewatchProfile;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Transition;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.TwoNamespaces;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two pipelines on one database, each with its own bus and cache as two replicas would have, fed the same pods at
 * the same time, record every change exactly once. The pods live in a namespace the service itself does not watch.
 */
@QuarkusTest
@MockCluster
// the service watches ci and deploy only, never the namespace of these pods
@TestProfile(TwoNamespaces.class)
class ConcurrentPipelinesTest {

    private static final int PODS = 150;

    @Inject
    RunRepository runs;

    @Inject
    RecipientPolicy policy;

    @Inject
    StagewatchConfig config;

    @Inject
    Event<RunRecorded> recorded;

    @Inject
    WorkflowJudging workflows;

    @Inject
    PodCodec codec;

    @Test
    void everyChangeIsAppliedOnceWhateverPipelineSeesItFirst() {
        List<ObservationBus> buses = List.of(pipeline(), pipeline());
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            pods.add(Pods.workflow("race", Pods.name("race"), "ci").build());
        }
        List<List<Pod>> states = List.of(
                pods,
                pods.stream().map(p -> Pods.from(p).running().build()).toList(),
                pods.stream().map(p -> Pods.from(p).succeeded().build()).toList());

        // each state reaches both pipelines at once, after both decided the previous one: both hold the same
        // version of every run, so every change is a race that exactly one of them may win
        for (List<Pod> state : states) {
            CompletableFuture.allOf(buses.stream()
                            .map(bus -> CompletableFuture.runAsync(() -> state.forEach(
                                    pod -> bus.publish(new Observation.PodSeen(Source.RECONCILE, pod, false)))))
                            .toArray(CompletableFuture[]::new))
                    .join();
            await().atMost(Duration.ofSeconds(30)).until(() -> buses.stream().allMatch(bus -> bus.undecided() == 0));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pods.stream().allMatch(p -> status(p) == RunStatus.SUCCEEDED));
        for (Pod pod : pods) {
            List<Transition> history =
                    runs.transitions(pod.getMetadata().getUid()).await().atMost(Duration.ofSeconds(5));
            assertNull(history.get(0).from(), "the first transition has no origin");
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).to(), history.get(i).from(), "the history is a chain: " + history);
            }
            Map<RunStatus, Long> perStatus =
                    history.stream().collect(Collectors.groupingBy(Transition::to, Collectors.counting()));
            perStatus.forEach(
                    (status, count) -> assertEquals(1L, count, status + " entered more than once: " + history));
            assertEquals(RunStatus.SUCCEEDED, history.get(history.size() - 1).to());
        }
    }

    private RunStatus status(Pod pod) {
        var run = runs.find(pod.getMetadata().getUid()).await().atMost(Duration.ofSeconds(5));
        return run == null ? null : run.status();
    }

    private ObservationBus pipeline() {
        var metrics = new PipelineMetrics(new SimpleMeterRegistry());
        KnownRuns known = new KnownRuns();
        ObservationBus bus = new ObservationBus(100_000, codec, known, metrics);
        new RunPipeline(bus, runs, raceReader(metrics), known, metrics, recorded, workflows, config).start();
        return bus;
    }

    /** A reader whose stagewatch profile claims the pods of the namespace "race", which the service does not watch. */
    private PodReader raceReader(PipelineMetrics metrics) {
        var keys = ProfilesProducer.labelKeys(config.labels());
        var profiles = new Profiles(List.of(new StagewatchProfile(keys, Set.of("race"), null)));
        return new PodReader(config, profiles, policy, metrics);
    }
}
