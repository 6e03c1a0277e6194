package io.stagewatch.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.stagewatch.testing.TestPods;

/**
 * Workflow pods for the benchmark, built before any measurement starts so that building them is not measured. Each
 * pod has three states (Pending, Running, Succeeded) as the kubelet would write them, which the pipeline turns into
 * three transitions. Spec, statuses and labels are shared between pods (the pipeline only reads them); metadata (UID,
 * name, resourceVersion) is per pod and state.
 */
final class SyntheticPods {

    static final int STEPS = 3;

    private static final Map<String, String> LABELS = Map.of(
            "stagewatch.io/stage", "ci",
            "stagewatch.io/pipeline", "bench");
    private static final PodSpec SPEC = new PodSpecBuilder()
            .withRestartPolicy("Never")
            .withContainers(List.of(new ContainerBuilder().withName("main").withImage("registry.example.org/ci-runner:1.4").build()))
            .build();
    private static final PodStatus PENDING = new PodStatusBuilder().withPhase("Pending").build();
    private static final PodStatus RUNNING = TestPods.running();
    private static final PodStatus SUCCEEDED = TestPods.succeeded();

    private final Pod[] states;

    private SyntheticPods(Pod[] states) {
        this.states = states;
    }

    /** {@code count} pods named {@code prefix-<n>} in namespace {@code bench}, each with a fresh UID. */
    static SyntheticPods create(String prefix, int count) {
        String created = Instant.now().toString();
        Pod[] states = new Pod[count * STEPS];
        PodStatus[] statuses = { PENDING, RUNNING, SUCCEEDED };
        for (int i = 0; i < count; i++) {
            String uid = UUID.randomUUID().toString();
            for (int step = 0; step < STEPS; step++) {
                ObjectMeta meta = new ObjectMeta();
                meta.setUid(uid);
                meta.setNamespace("bench");
                meta.setName(prefix + "-" + i);
                meta.setLabels(LABELS);
                meta.setCreationTimestamp(created);
                meta.setResourceVersion(Integer.toString(step + 1));
                Pod pod = new Pod();
                pod.setMetadata(meta);
                pod.setSpec(SPEC);
                pod.setStatus(statuses[step]);
                states[i * STEPS + step] = pod;
            }
        }
        return new SyntheticPods(states);
    }

    int pods() {
        return states.length / STEPS;
    }

    /** Pod {@code pod} in state {@code step}: 0 Pending, 1 Running, 2 Succeeded. */
    Pod state(int pod, int step) {
        return states[pod * STEPS + step];
    }

    /** The pod state an event of {@link #schedule} stands for. */
    Pod event(int event) {
        return states[event];
    }

    /**
     * Every state of every pod once, in an order where a pod's states are {@code lag} pods apart: slot {@code s}
     * holds pod {@code s} Pending, pod {@code s - lag} Running and pod {@code s - 2 lag} Succeeded. The observations
     * of one pod are thus spread out, as they are in a cluster, instead of queueing behind each other in one lane.
     * Each element is {@code pod * 3 + step}.
     */
    int[] schedule(int lag) {
        int pods = pods();
        int[] order = new int[states.length];
        int next = 0;
        for (int slot = 0; next < order.length; slot++) {
            for (int step = 0; step < STEPS; step++) {
                int pod = slot - step * lag;
                if (pod >= 0 && pod < pods) {
                    order[next++] = pod * STEPS + step;
                }
            }
        }
        return order;
    }
}
