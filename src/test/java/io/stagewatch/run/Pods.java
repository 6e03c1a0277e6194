package io.stagewatch.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;

/**
 * A short way to build the pods the classifier tests need, with fabric8 builders underneath. Times are offsets in
 * seconds from {@link #T0}: containers start at {@link #STARTED} and, unless told otherwise, finish at
 * {@link #FINISHED}.
 *
 * <pre>
 * Pods.pod("Succeeded").container("main", Pods.exited(0, "Completed")).deletionRequested(290, 30).build()
 * </pre>
 */
final class Pods {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final int STARTED = 5;
    static final int FINISHED = 280;

    static final String SHUTDOWN_MESSAGE = "Pod was terminated in response to imminent node shutdown.";
    static final String PRESSURE_MESSAGE = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 0.";

    private final String phase;
    private String reason;
    private String message;
    private boolean withoutStatus;
    private String deletionTimestamp;
    private Long deletionGracePeriodSeconds;
    private final List<PodCondition> conditions = new ArrayList<>();
    private final List<Container> containers = new ArrayList<>();
    private final List<Container> initContainers = new ArrayList<>();
    private final List<ContainerStatus> containerStatuses = new ArrayList<>();
    private final List<ContainerStatus> initContainerStatuses = new ArrayList<>();

    private Pods(String phase) {
        this.phase = phase;
    }

    /** A pod in the given phase, with no containers yet. */
    static Pods pod(String phase) {
        return new Pods(phase);
    }

    /** A pod in phase Succeeded whose one container {@code main} exited 0 (Completed) at {@link #FINISHED}. */
    static Pods succeededPod() {
        return pod("Succeeded").container("main", exited(0, "Completed"));
    }

    /** A pod in phase Failed whose one container {@code main} exited with {@code exitCode} (Error). */
    static Pods failedPod(int exitCode) {
        return pod("Failed").container("main", exited(exitCode, "Error"));
    }

    /** A pod in phase Running whose one container {@code main} is running. */
    static Pods runningPod() {
        return pod("Running").container("main", running());
    }

    /** A pod in phase Pending whose one container {@code main} is waiting. */
    static Pods pendingPod() {
        return pod("Pending").container("main", waiting("ContainerCreating"));
    }

    // ---- container states

    static ContainerState exited(int exitCode, String reason) {
        return exited(exitCode, reason, FINISHED);
    }

    static ContainerState exited(int exitCode, String reason, int finishedAt) {
        return terminated(exitCode, reason, at(finishedAt));
    }

    /** A terminated state with a raw {@code finishedAt}, so that a test can write one Kubernetes never would. */
    static ContainerState terminated(int exitCode, String reason, String finishedAt) {
        return new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withStartedAt(at(STARTED))
                .withFinishedAt(finishedAt)
                .endTerminated()
                .build();
    }

    static ContainerState running() {
        return new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt(at(STARTED))
                .endRunning()
                .build();
    }

    static ContainerState waiting(String reason) {
        return new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .endWaiting()
                .build();
    }

    /** The time {@code seconds} after {@link #T0}, as Kubernetes writes it. */
    static String at(int seconds) {
        return T0.plusSeconds(seconds).toString();
    }

    // ---- pod parts

    /** A regular container; a null {@code state} means the container reports no status at all. */
    Pods container(String name, ContainerState state) {
        containers.add(spec(name, null));
        if (state != null) {
            containerStatuses.add(status(name, state));
        }
        return this;
    }

    /** An init container that must complete; a null {@code state} means it reports no status. */
    Pods initContainer(String name, ContainerState state) {
        initContainers.add(spec(name, null));
        if (state != null) {
            initContainerStatuses.add(status(name, state));
        }
        return this;
    }

    /** A native sidecar: an init container with {@code restartPolicy: Always}. */
    Pods sidecar(String name, ContainerState state) {
        initContainers.add(spec(name, "Always"));
        if (state != null) {
            initContainerStatuses.add(status(name, state));
        }
        return this;
    }

    /** {@code status.reason} and {@code status.message}. */
    Pods reason(String reason, String message) {
        this.reason = reason;
        this.message = message;
        return this;
    }

    /** A {@code DisruptionTarget} condition with status True. */
    Pods disruption(String reason, String message) {
        return condition("DisruptionTarget", "True", reason, message);
    }

    Pods condition(String type, String status, String reason, String message) {
        conditions.add(new PodConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(at(FINISHED - 10))
                .build());
        return this;
    }

    /**
     * Deletion requested {@code requestedAt} seconds after {@link #T0} with the given grace period: Kubernetes then
     * writes {@code deletionTimestamp} = request time + grace.
     */
    Pods deletionRequested(int requestedAt, long graceSeconds) {
        return deletion(at(requestedAt + (int) graceSeconds), graceSeconds);
    }

    /** Raw deletion fields, as written on the pod. */
    Pods deletion(String deletionTimestamp, Long graceSeconds) {
        this.deletionTimestamp = deletionTimestamp;
        this.deletionGracePeriodSeconds = graceSeconds;
        return this;
    }

    /** Drop the whole {@code status}. */
    Pods withoutStatus() {
        this.withoutStatus = true;
        return this;
    }

    Pod build() {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName("build-4711-a")
                .withNamespace("ci")
                .withUid("e9c5e585-998b-f6f5-0551-ef2f9005c785")
                .withCreationTimestamp(at(0))
                .addToLabels("stagewatch.io/stage", "ci")
                .withDeletionTimestamp(deletionTimestamp)
                .withDeletionGracePeriodSeconds(deletionGracePeriodSeconds)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withNodeName("node-7")
                .withInitContainers(initContainers)
                .withContainers(containers)
                .endSpec();
        if (!withoutStatus) {
            pod.withNewStatus()
                    .withPhase(phase)
                    .withReason(reason)
                    .withMessage(message)
                    .withConditions(conditions)
                    .withInitContainerStatuses(initContainerStatuses)
                    .withContainerStatuses(containerStatuses)
                    .endStatus();
        }
        return pod.build();
    }

    private static Container spec(String name, String restartPolicy) {
        return new ContainerBuilder()
                .withName(name)
                .withImage("registry.example.org/ci-runner:1.4")
                .withRestartPolicy(restartPolicy)
                .build();
    }

    private static ContainerStatus status(String name, ContainerState state) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("registry.example.org/ci-runner:1.4")
                .withRestartCount(0)
                .withReady(state.getRunning() != null)
                .withState(state)
                .build();
    }
}
