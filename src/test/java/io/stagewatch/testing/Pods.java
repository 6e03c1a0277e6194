package io.stagewatch.testing;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Workflow pods as the kubelet and the control plane write them: the one pod builder of the tests, over fabric8's
 * {@link PodBuilder}. Every pod lives on a timeline: it was created at its origin, its containers start
 * {@link #STARTED} seconds and finish {@link #FINISHED} seconds later.
 * <ul>
 * <li>{@link #pod()}: the same pod every time, on the fixed timeline of {@link #T0}, for the pure classifier tests;</li>
 * <li>{@link #workflow}: a pod of its own for the mock API server or the pipeline, held by {@link #FINALIZER} so that
 * its deletion can be played step by step ({@link Cluster}), on a timeline that finishes now;</li>
 * <li>{@link #from}: an existing pod, to write its next state, also finishing now.</li>
 * </ul>
 *
 * <pre>
 * Pods.pod().succeeded().container("report", exited(0, "Completed", FINISHED + 20)).deletionRequested(290, 30).build()
 * cluster.create(Pods.workflow("ci", Pods.name("build"), "post-cd").running().notify("ops@example.org").build())
 * </pre>
 */
public final class Pods {

    public static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    public static final int STARTED = 5;
    public static final int FINISHED = 280;

    private static final String IMAGE = "registry.example.org/ci-runner:1.4";
    /** The test harness's own finalizer: the pod stays, deletion requested, until {@link Cluster#release} removes it. */
    public static final String FINALIZER = "test.stagewatch.io/hold";

    public static final String SHUTDOWN_MESSAGE = "Pod was terminated in response to imminent node shutdown.";
    public static final String PRESSURE_MESSAGE =
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 0.";

    private final PodBuilder pod;
    private final Instant origin;
    private boolean withoutStatus;

    private Pods(PodBuilder pod, Instant origin) {
        this.pod = pod;
        this.origin = origin;
    }

    /** Pod {@code build-4711-a} in namespace {@code ci}, stage ci, on node-7, Pending, no containers yet; times from {@link #T0}. */
    public static Pods pod() {
        return new Pods(
                new PodBuilder()
                        .withNewMetadata()
                        .withName("build-4711-a")
                        .withNamespace("ci")
                        .withUid("e9c5e585-998b-f6f5-0551-ef2f9005c785")
                        .withCreationTimestamp(at(0))
                        .addToLabels("stagewatch.io/stage", "ci")
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .withNodeName("node-7")
                        .withInitContainers(new ArrayList<>())
                        .withContainers(new ArrayList<>())
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Pending")
                        .withConditions(new ArrayList<>())
                        .withInitContainerStatuses(new ArrayList<>())
                        .withContainerStatuses(new ArrayList<>())
                        .endStatus(),
                T0);
    }

    /**
     * A Pending workflow pod of {@code stage} with a fresh UID, its workflow label its name, pipeline payments-api, one
     * container {@code main} that reports no status yet, held by {@link #FINALIZER}.
     */
    public static Pods workflow(String namespace, String name, String stage) {
        return new Pods(
                new PodBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(name)
                        .withUid(UUID.randomUUID().toString())
                        .addToLabels("stagewatch.io/stage", stage)
                        .addToLabels("stagewatch.io/workflow", name)
                        .addToLabels("stagewatch.io/pipeline", "payments-api")
                        .addToFinalizers(FINALIZER)
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("main")
                        .withImage(IMAGE)
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Pending")
                        .endStatus(),
                finishingNow());
    }

    /** The pod as it is, to write its next state. */
    public static Pods from(Pod pod) {
        return new Pods(new PodBuilder(pod), finishingNow());
    }

    /** A unique name with the given prefix. */
    public static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- phases: the main container in the state the kubelet writes with each

    /** Pending, {@code main} waiting for its container to be created. */
    public Pods pending() {
        return phase("Pending").container("main", waiting("ContainerCreating"));
    }

    public Pods running() {
        return phase("Running").container("main", runningSince(time(STARTED)));
    }

    public Pods succeeded() {
        return ended("Succeeded", 0, "Completed");
    }

    public Pods failed(int exitCode) {
        return ended("Failed", exitCode, "Error");
    }

    /** The given phase, {@code main} terminated with {@code exitCode} and {@code reason} at the end of the timeline. */
    public Pods ended(String phase, int exitCode, String reason) {
        return phase(phase).container("main", exited(exitCode, reason, time(STARTED), time(FINISHED)));
    }

    public Pods phase(String phase) {
        pod.editOrNewStatus().withPhase(phase).endStatus();
        return this;
    }

    // ---- container states

    /** Terminated with {@code exitCode} and {@code reason}, started at {@link #STARTED} and finished at {@link #FINISHED} after {@link #T0}. */
    public static ContainerState exited(int exitCode, String reason) {
        return exited(exitCode, reason, FINISHED);
    }

    /** Terminated {@code finishedAt} seconds after {@link #T0}. */
    public static ContainerState exited(int exitCode, String reason, int finishedAt) {
        return exited(exitCode, reason, at(STARTED), at(finishedAt));
    }

    /** Terminated between two raw timestamps, so that a test can also write one Kubernetes never would. */
    public static ContainerState exited(int exitCode, String reason, String startedAt, String finishedAt) {
        return new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withStartedAt(startedAt)
                .withFinishedAt(finishedAt)
                .endTerminated()
                .build();
    }

    public static ContainerState runningSince(String startedAt) {
        return new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt(startedAt)
                .endRunning()
                .build();
    }

    public static ContainerState waiting(String reason) {
        return new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .endWaiting()
                .build();
    }

    /** The time {@code seconds} after {@link #T0}, as Kubernetes writes it. */
    public static String at(int seconds) {
        return T0.plusSeconds(seconds).toString();
    }

    // ---- containers: declared in the spec once, their status replaced

    /** A regular container; a null {@code state} means it reports no status at all. */
    public Pods container(String name, ContainerState state) {
        var spec = pod.editOrNewSpec();
        if (!spec.hasMatchingContainer(c -> name.equals(c.getName()))) {
            spec.addNewContainer().withName(name).withImage(IMAGE).endContainer();
        }
        spec.endSpec();
        if (state != null) {
            pod.editOrNewStatus()
                    .removeMatchingFromContainerStatuses(s -> name.equals(s.getName()))
                    .addToContainerStatuses(status(name, state))
                    .endStatus();
        }
        return this;
    }

    /** An init container that must complete; a null {@code state} means it reports no status. */
    public Pods initContainer(String name, ContainerState state) {
        return init(name, null, state);
    }

    /** A native sidecar: an init container with {@code restartPolicy: Always}. */
    public Pods sidecar(String name, ContainerState state) {
        return init(name, "Always", state);
    }

    private Pods init(String name, String restartPolicy, ContainerState state) {
        var spec = pod.editOrNewSpec();
        if (!spec.hasMatchingInitContainer(c -> name.equals(c.getName()))) {
            spec.addNewInitContainer()
                    .withName(name)
                    .withImage(IMAGE)
                    .withRestartPolicy(restartPolicy)
                    .endInitContainer();
        }
        spec.endSpec();
        if (state != null) {
            pod.editOrNewStatus()
                    .removeMatchingFromInitContainerStatuses(s -> name.equals(s.getName()))
                    .addToInitContainerStatuses(status(name, state))
                    .endStatus();
        }
        return this;
    }

    private static ContainerStatus status(String name, ContainerState state) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage(IMAGE)
                .withRestartCount(0)
                .withReady(state.getRunning() != null)
                .withState(state)
                .build();
    }

    // ---- status and metadata

    /** {@code status.reason} and {@code status.message}. */
    public Pods reason(String reason, String message) {
        pod.editOrNewStatus().withReason(reason).withMessage(message).endStatus();
        return this;
    }

    /** A {@code DisruptionTarget} condition with status True. */
    public Pods disruption(String reason, String message) {
        return condition("DisruptionTarget", "True", reason, message);
    }

    /** A condition, replacing the one of the same type, changed 10 s before the end of the timeline. */
    public Pods condition(String type, String status, String reason, String message) {
        pod.editOrNewStatus()
                .removeMatchingFromConditions(c -> type.equals(c.getType()))
                .addToConditions(new PodConditionBuilder()
                        .withType(type)
                        .withStatus(status)
                        .withReason(reason)
                        .withMessage(message)
                        .withLastTransitionTime(time(FINISHED - 10))
                        .build())
                .endStatus();
        return this;
    }

    /**
     * Deletion requested {@code requestedAt} seconds into the timeline with the given grace period: Kubernetes then
     * writes {@code deletionTimestamp} = request time + grace. On a timeline that finishes now, {@link #FINISHED} is now.
     */
    public Pods deletionRequested(int requestedAt, long graceSeconds) {
        return deletion(time(requestedAt + (int) graceSeconds), graceSeconds);
    }

    /** Raw deletion fields, as written on the pod. */
    public Pods deletion(String deletionTimestamp, Long graceSeconds) {
        pod.editOrNewMetadata()
                .withDeletionTimestamp(deletionTimestamp)
                .withDeletionGracePeriodSeconds(graceSeconds)
                .endMetadata();
        return this;
    }

    /** Drop the whole {@code status}. */
    public Pods withoutStatus() {
        this.withoutStatus = true;
        return this;
    }

    public Pods label(String key, String value) {
        pod.editOrNewMetadata().addToLabels(key, value).endMetadata();
        return this;
    }

    public Pods pipeline(String pipeline) {
        return label("stagewatch.io/pipeline", pipeline);
    }

    /** The stagewatch notify annotation: who gets a mail for every event of this run. */
    public Pods notify(String recipients) {
        pod.editOrNewMetadata()
                .addToAnnotations("stagewatch.io/notify", recipients)
                .endMetadata();
        return this;
    }

    public Pods uid(String uid) {
        pod.editOrNewMetadata().withUid(uid).endMetadata();
        return this;
    }

    public Pods node(String node) {
        pod.editOrNewSpec().withNodeName(node).endSpec();
        return this;
    }

    /**
     * Tolerates the NoExecute taints of a failing node ({@code node.kubernetes.io/unreachable} and
     * {@code not-ready}) for that many seconds; null: forever. Kubernetes gives every pod 300 s unless it says
     * otherwise.
     */
    public Pods tolerating(Long seconds) {
        pod.editOrNewSpec()
                .addNewToleration()
                .withKey("node.kubernetes.io/unreachable")
                .withOperator("Exists")
                .withEffect("NoExecute")
                .withTolerationSeconds(seconds)
                .endToleration()
                .addNewToleration()
                .withKey("node.kubernetes.io/not-ready")
                .withOperator("Exists")
                .withEffect("NoExecute")
                .withTolerationSeconds(seconds)
                .endToleration()
                .endSpec();
        return this;
    }

    /** Anything else, on fabric8's own builder. */
    public Pods with(Consumer<PodBuilder> change) {
        change.accept(pod);
        return this;
    }

    public Pod build() {
        Pod built = pod.build();
        if (withoutStatus) {
            built.setStatus(null);
        }
        return built;
    }

    /** The time {@code seconds} into this pod's timeline. */
    private String time(int seconds) {
        return origin.plusSeconds(seconds).toString();
    }

    private static Instant finishingNow() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(FINISHED);
    }
}
