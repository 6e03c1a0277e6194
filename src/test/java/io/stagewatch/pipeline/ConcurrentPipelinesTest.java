package io.stagewatch.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.kube.PodReader;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Transition;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.TestPods;

/**
 * Three pipelines on one database — the service's own (fed by its informer) and two more, each with its own bus and
 * cache, fed the same pods at the same time — record every change exactly once.
 */
@QuarkusTest
@WithKubernetesTestServer
class ConcurrentPipelinesTest {

    private static final int PODS = 150;

    @Inject
    KubernetesClient client;

    @Inject
    RunRepository runs;

    @Inject
    PodReader reader;

    @Inject
    StagewatchConfig config;

    @Test
    void everyChangeIsAppliedOnceWhateverPipelineSeesItFirst() {
        List<ObservationBus> buses = List.of(pipeline(), pipeline());
        Cluster cluster = new Cluster(client);
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            pods.add(cluster.create(TestPods.pending("ci", TestPods.name("race"), "ci")));
        }
        List<List<Pod>> states = new ArrayList<>();
        states.add(pods);
        states.add(pods.stream().map(p -> cluster.status(p, TestPods.running())).toList());
        states.add(pods.stream().map(p -> cluster.status(p, TestPods.succeeded())).toList());

        CompletableFuture.allOf(buses.stream().map(bus -> CompletableFuture.runAsync(() -> states.forEach(
                state -> state.forEach(pod -> bus.publish(new Observation.PodSeen(Source.RECONCILE, pod, false))))))
                .toArray(CompletableFuture[]::new)).join();

        await().atMost(Duration.ofSeconds(30)).until(() -> buses.stream().allMatch(bus -> bus.undecided() == 0)
                && pods.stream().allMatch(p -> status(p) == RunStatus.SUCCEEDED));
        for (Pod pod : pods) {
            List<Transition> history = runs.transitions(pod.getMetadata().getUid()).await().atMost(Duration.ofSeconds(5));
            assertNull(history.get(0).from(), "the first transition has no origin");
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).to(), history.get(i).from(), "the history is a chain: " + history);
            }
            Map<RunStatus, Long> perStatus = history.stream().collect(Collectors.groupingBy(Transition::to,
                    Collectors.counting()));
            perStatus.forEach((status, count) -> assertEquals(1L, count, status + " entered more than once: " + history));
            assertEquals(RunStatus.SUCCEEDED, history.get(history.size() - 1).to());
        }
    }

    private RunStatus status(Pod pod) {
        var run = runs.find(pod.getMetadata().getUid()).await().atMost(Duration.ofSeconds(5));
        return run == null ? null : run.status();
    }

    private ObservationBus pipeline() {
        var registry = new SimpleMeterRegistry();
        ObservationBus bus = new ObservationBus(100_000, registry);
        new RunPipeline(bus, runs, reader, new PipelineMetrics(registry), config).start();
        return bus;
    }
}
