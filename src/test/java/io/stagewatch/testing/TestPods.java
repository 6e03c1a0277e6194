package io.stagewatch.testing;

import java.time.Instant;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

/** Workflow pods in the states a kubelet would write, for tests that go through the mock API server. */
public final class TestPods {

    public static final String FINALIZER = "test.stagewatch.io/hold";

    private TestPods() {
    }

    /** A unique pod name with the given prefix. */
    public static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A pending CI pod in namespace {@code ns}, held by a finalizer so its deletion can be played step by step. */
    public static Pod pending(String ns, String name, String stage) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .withUid(UUID.randomUUID().toString())
                .addToLabels("stagewatch.io/stage", stage)
                .addToLabels("stagewatch.io/workflow", name)
                .addToLabels("stagewatch.io/pipeline", "payments-api")
                .addToFinalizers(FINALIZER)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("registry.example.org/ci-runner:1.4").endContainer()
                .endSpec()
                .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                .build();
    }

    /** The pod with the stagewatch notify annotation set to {@code recipients}. */
    public static Pod notifying(Pod pod, String recipients) {
        return new PodBuilder(pod).editMetadata().addToAnnotations("stagewatch.io/notify", recipients).endMetadata().build();
    }

    public static PodStatus running() {
        return new PodStatusBuilder()
                .withPhase("Running")
                .addToContainerStatuses(new ContainerStatusBuilder().withName("main").withNewState().withNewRunning()
                        .withStartedAt(Instant.now().toString()).endRunning().endState().build())
                .build();
    }

    public static PodStatus terminated(String phase, int exitCode, String reason) {
        Instant now = Instant.now();
        return new PodStatusBuilder()
                .withPhase(phase)
                .addToContainerStatuses(new ContainerStatusBuilder().withName("main").withNewState().withNewTerminated()
                        .withExitCode(exitCode).withReason(reason).withStartedAt(now.minusSeconds(60).toString())
                        .withFinishedAt(now.toString()).endTerminated().endState().build())
                .build();
    }

    public static PodStatus succeeded() {
        return terminated("Succeeded", 0, "Completed");
    }

    public static PodStatus failed(int exitCode) {
        return terminated("Failed", exitCode, "Error");
    }
}
