package io.stagewatch.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.testing.Pods;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The benchmark's workflow pods, built before any measurement starts so that building them is not measured, and the
 * order their states are published in. Each pod has three states (Pending, Running, Succeeded) as the kubelet would
 * write them, which the pipeline turns into three transitions.
 */
final class Workload {

    static final int STEPS = 3;
    static final String NAMESPACE = "bench";

    private final Pod[] states;

    private Workload(Pod[] states) {
        this.states = states;
    }

    /** {@code count} pods named {@code prefix-<n>} in namespace {@value #NAMESPACE}, each with a fresh UID. */
    static Workload create(String prefix, int count) {
        String created = Instant.now().toString();
        Pod[] states = new Pod[count * STEPS];
        List<UnaryOperator<Pods>> steps = List.of(pending -> pending, Pods::running, Pods::succeeded);
        for (int i = 0; i < count; i++) {
            String uid = UUID.randomUUID().toString();
            for (int step = 0; step < STEPS; step++) {
                String version = Integer.toString(step + 1);
                states[i * STEPS + step] = steps.get(step)
                        .apply(Pods.workflow(NAMESPACE, prefix + "-" + i, "ci"))
                        .pipeline("bench")
                        .uid(uid)
                        .with(pod -> pod.editMetadata()
                                .withCreationTimestamp(created)
                                .withResourceVersion(version)
                                .endMetadata())
                        .build();
            }
        }
        return new Workload(states);
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
