package io.stagewatch.run;

import static io.stagewatch.run.FailureReason.ADMISSION_REJECTED;
import static io.stagewatch.run.FailureReason.CONTAINER_LOST;
import static io.stagewatch.run.FailureReason.DEADLINE_EXCEEDED;
import static io.stagewatch.run.FailureReason.DISRUPTED;
import static io.stagewatch.run.FailureReason.EVICTED;
import static io.stagewatch.run.FailureReason.EXIT_CODE;
import static io.stagewatch.run.FailureReason.INIT_FAILED;
import static io.stagewatch.run.FailureReason.NODE_LOST;
import static io.stagewatch.run.FailureReason.NODE_SHUTDOWN;
import static io.stagewatch.run.FailureReason.OOM_KILLED;
import static io.stagewatch.run.FailureReason.POD_DELETED;
import static io.stagewatch.run.FailureReason.PREEMPTED;
import static io.stagewatch.run.FailureReason.UNKNOWN;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.stagewatch.run.ContainerRules.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns one pod object into a verdict. A run is SUCCEEDED only on complete evidence; otherwise the strongest signal
 * present names the failure, and a terminal pod that fails the success rules without any known signal is
 * INFRASTRUCTURE / UNKNOWN. The rules, the order of the signals and every reason are written out in
 * {@code docs/classification.md}; this class and that page say the same thing.
 */
public final class PodClassifier {

    private static final Map<String, FailureReason> STATUS_REASONS = Map.of(
            "Shutdown", NODE_SHUTDOWN,
            "Terminated", NODE_SHUTDOWN,
            "NodeShutdown", NODE_SHUTDOWN,
            "Evicted", EVICTED,
            "Preempting", PREEMPTED,
            "NodeLost", NODE_LOST,
            "DeadlineExceeded", DEADLINE_EXCEEDED,
            "NodeAffinity", ADMISSION_REJECTED,
            "UnexpectedAdmissionError", ADMISSION_REJECTED);

    private static final Map<String, FailureReason> DISRUPTION_REASONS = Map.of(
            "EvictionByEvictionAPI", EVICTED,
            "PreemptionByScheduler", PREEMPTED,
            "DeletionByPodGC", NODE_LOST,
            "DeletionByTaintManager", NODE_LOST);

    /** Waiting reasons of a container on its normal way to start: not worth showing. */
    private static final Set<String> NORMAL_WAITING = Set.of("", "ContainerCreating", "PodInitializing");

    private static final String OOM_KILLED_REASON = "OOMKilled";
    /** SIGKILL and SIGTERM: how a platform ends the sidecars of a finished step. */
    private static final Set<Integer> KILL_EXIT_CODES = Set.of(137, 143);

    private static final String STATUS_UNKNOWN_REASON = "ContainerStatusUnknown";

    private PodClassifier() {}

    /** The verdict of a pod as it is now, every container required. */
    public static Verdict classify(Pod pod) {
        return classify(pod, ContainerRules.ALL);
    }

    /** The verdict of a pod as it is now, its containers judged by the platform's rules. */
    public static Verdict classify(Pod pod, ContainerRules rules) {
        return verdict(pod, rules, false);
    }

    /**
     * The verdict of a pod that was deleted, every container required: its final object when that proves success or
     * names a cause, POD_DELETED otherwise.
     */
    public static Verdict classifyDeleted(Pod finalState) {
        return classifyDeleted(finalState, ContainerRules.ALL);
    }

    /** The verdict of a pod that was deleted, its containers judged by the platform's rules. */
    public static Verdict classifyDeleted(Pod finalState, ContainerRules rules) {
        return verdict(finalState, rules, true);
    }

    private static Verdict verdict(Pod pod, ContainerRules rules, boolean deleted) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            throw new MalformedPodException("missing-status", "the pod has no status");
        }
        List<Required> containers = requiredContainers(pod, rules);
        List<Required> required =
                containers.stream().filter(c -> c.role() == Role.REQUIRED).toList();
        Verdict verdict = decide(pod, status, rules, containers, required, deleted);
        if (deleted && !verdict.status().isTerminal()) {
            verdict = Verdict.failed(POD_DELETED, "The pod was deleted before it finished.");
        }
        return verdict.withTimes(startedAt(status), finishedAt(required));
    }

    /**
     * @param containers every container that counts, sidecars the platform kills included
     * @param required   the containers that must succeed
     * @param deleted    true when the pod is gone: its deletion has certainly begun
     */
    private static Verdict decide(
            Pod pod,
            PodStatus status,
            ContainerRules rules,
            List<Required> containers,
            List<Required> required,
            boolean deleted) {
        String phase = status.getPhase();
        boolean terminalPhase = "Succeeded".equals(phase) || "Failed".equals(phase);
        Optional<Instant> deletionRequested = deletionRequestedAt(pod);
        boolean ending = terminalPhase || deleted || deletionRequested.isPresent();

        Optional<PodCondition> disruption = disruption(status);
        if (disruption.isPresent() && ending) {
            return fromDisruption(disruption.get(), status);
        }
        FailureReason statusReason = statusReason(status.getReason());
        if (statusReason != null) {
            return Verdict.failed(statusReason, Text.firstNonBlank(status.getMessage(), status.getReason()));
        }
        if (!ending) {
            return new Verdict(progress(phase, status), null, waitingFor(status), null, null);
        }
        for (Required container : required) {
            ContainerStateTerminated end = container.terminated();
            if (end != null && STATUS_UNKNOWN_REASON.equals(end.getReason())) {
                return Verdict.failed(
                        CONTAINER_LOST,
                        "Container " + container.name() + " could not be located: "
                                + Text.firstNonBlank(end.getMessage(), "its status is unknown") + ".");
            }
        }
        Instant finished = finishedAt(required);
        if (deletionRequested.isPresent()
                && (finished == null || !deletionRequested.get().isAfter(finished))) {
            return Verdict.failed(POD_DELETED, "The pod was deleted before its containers finished.");
        }
        Verdict workload = workloadFailure(containers);
        if (workload != null) {
            return workload;
        }
        if (!terminalPhase) {
            // deletion was requested after every container finished; the kubelet has not written the phase yet
            return new Verdict(RunStatus.RUNNING, null, null, null, null);
        }
        boolean phaseAllows = "Succeeded".equals(phase) || (rules.successMayEndFailed() && "Failed".equals(phase));
        if (phaseAllows
                && Text.isBlank(status.getReason())
                && required.stream().allMatch(Required::succeeded)
                && containers.stream()
                        .allMatch(c -> c.role() != Role.KILLED_AFTER || c.killedAfter(firstDone(required)))) {
            return new Verdict(RunStatus.SUCCEEDED, null, null, null, null);
        }
        return Verdict.failed(UNKNOWN, unknownMessage(phase, status, containers, firstDone(required)));
    }

    private static Verdict fromDisruption(PodCondition condition, PodStatus status) {
        String reason = Objects.requireNonNullElse(condition.getReason(), "");
        String message = Text.firstNonBlank(condition.getMessage(), status.getMessage(), reason);
        FailureReason known = DISRUPTION_REASONS.get(reason);
        if (known != null) {
            return Verdict.failed(known, message);
        }
        if ("TerminationByKubelet".equals(reason)) {
            return Verdict.failed(kubeletTermination(status, message), message);
        }
        return Verdict.failed(DISRUPTED, message);
    }

    /**
     * The kubelet ends pods for three reasons under one condition reason: a node shutdown, node-pressure eviction,
     * and the preemption of a pod to admit a critical one ({@code status.reason=Preempting}, "preempted by Kubelet to
     * accommodate a critical pod"). The pod's own status reason tells them apart, else the message.
     */
    private static FailureReason kubeletTermination(PodStatus status, String message) {
        FailureReason byStatus = statusReason(status.getReason());
        if (byStatus == NODE_SHUTDOWN || byStatus == PREEMPTED || byStatus == EVICTED) {
            return byStatus;
        }
        String words = message.toLowerCase(Locale.ROOT);
        if (words.contains("shutdown")) {
            return NODE_SHUTDOWN;
        }
        return words.contains("preempt") ? PREEMPTED : EVICTED;
    }

    private static Verdict workloadFailure(List<Required> containers) {
        List<Required> required =
                containers.stream().filter(c -> c.role() == Role.REQUIRED).toList();
        for (Required container : required) {
            ContainerStateTerminated end = container.terminated();
            if (end != null && OOM_KILLED_REASON.equals(end.getReason())) {
                return Verdict.failed(
                        OOM_KILLED, "Container " + container.name() + " was killed for running out of memory.");
            }
        }
        for (Required container : required) {
            if (container.init() && container.failed()) {
                return Verdict.failed(
                        INIT_FAILED, "Init container " + container.name() + " " + exitWords(container) + ".");
            }
        }
        for (Required container : containers) {
            if (!container.init()
                    && container.failed()
                    && (container.role() == Role.REQUIRED
                            || !KILL_EXIT_CODES.contains(container.terminated().getExitCode()))) {
                return Verdict.failed(EXIT_CODE, "Container " + container.name() + " " + exitWords(container) + ".");
            }
        }
        return null;
    }

    /** RUNNING as soon as any container has started, init containers included (a clone can take long); else PENDING. */
    private static RunStatus progress(String phase, PodStatus status) {
        if ("Running".equals(phase)) {
            return RunStatus.RUNNING;
        }
        boolean anyStarted = allStatuses(status).anyMatch(PodClassifier::started);
        return anyStarted ? RunStatus.RUNNING : RunStatus.PENDING;
    }

    /**
     * How long the pod has been waiting for its regular containers to start, when none of them has: since its last init
     * container finished, or since the run was first seen ({@code since} null) when no init container has finished.
     * Empty while an init container runs, once a regular container has started, and for a pod that is ending. The
     * reconcile loop fails a run that waits longer than the pending timeout with START_TIMEOUT.
     */
    public static Optional<StartWait> startWait(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null
                || "Succeeded".equals(status.getPhase())
                || "Failed".equals(status.getPhase())
                || deletionRequestedAt(pod).isPresent()) {
            return Optional.empty();
        }
        Instant since = null;
        for (Required container : requiredContainers(pod, ContainerRules.ALL)) {
            ContainerStatus containerStatus = container.status();
            if (!container.init() && containerStatus != null && started(containerStatus)) {
                return Optional.empty();
            }
            if (container.init()
                    && containerStatus != null
                    && containerStatus.getState() != null
                    && containerStatus.getState().getRunning() != null) {
                return Optional.empty();
            }
            ContainerStateTerminated end = container.terminated();
            if (container.init() && end != null) {
                Instant finished = Rfc3339.parse(end.getFinishedAt(), "state.terminated.finishedAt");
                if (finished != null && (since == null || finished.isAfter(since))) {
                    since = finished;
                }
            }
        }
        return Optional.of(new StartWait(since, waitingFor(status)));
    }

    /**
     * Why the pod's containers are not running yet, in the kubelet's or the scheduler's words (ErrImagePull,
     * ImagePullBackOff, CreateContainerConfigError, Unschedulable, ...), or null when nothing is wrong yet.
     */
    private static String waitingFor(PodStatus status) {
        if (status.getConditions() != null) {
            for (PodCondition condition : status.getConditions()) {
                if ("PodScheduled".equals(condition.getType())
                        && "False".equals(condition.getStatus())
                        && !Text.isBlank(condition.getReason())) {
                    return join(condition.getReason(), condition.getMessage());
                }
            }
        }
        return allStatuses(status)
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
                .filter(s -> !NORMAL_WAITING.contains(
                        Objects.requireNonNullElse(s.getState().getWaiting().getReason(), "")))
                .findFirst()
                .map(s -> "container " + s.getName() + ": "
                        + join(
                                s.getState().getWaiting().getReason(),
                                s.getState().getWaiting().getMessage()))
                .orElse(null);
    }

    private static String join(String reason, String message) {
        return Text.isBlank(message) ? reason : reason + ": " + message;
    }

    private static Stream<ContainerStatus> allStatuses(PodStatus status) {
        return Stream.concat(
                Objects.requireNonNullElse(status.getInitContainerStatuses(), List.<ContainerStatus>of()).stream(),
                Objects.requireNonNullElse(status.getContainerStatuses(), List.<ContainerStatus>of()).stream());
    }

    private static boolean started(ContainerStatus status) {
        return status.getState() != null
                && (status.getState().getRunning() != null || status.getState().getTerminated() != null);
    }

    private static Optional<PodCondition> disruption(PodStatus status) {
        if (status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream()
                .filter(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    private static FailureReason statusReason(String reason) {
        if (reason == null) {
            return null;
        }
        if (reason.startsWith("OutOf")) {
            return ADMISSION_REJECTED;
        }
        return STATUS_REASONS.get(reason);
    }

    private static Optional<Instant> deletionRequestedAt(Pod pod) {
        if (pod.getMetadata() == null || pod.getMetadata().getDeletionTimestamp() == null) {
            return Optional.empty();
        }
        Instant deadline = Rfc3339.parse(pod.getMetadata().getDeletionTimestamp(), "metadata.deletionTimestamp");
        long grace = Objects.requireNonNullElse(pod.getMetadata().getDeletionGracePeriodSeconds(), 0L);
        return Optional.of(deadline.minusSeconds(grace));
    }

    /**
     * Regular containers and init containers that are not native sidecars, each with its status if reported and its
     * role by the platform's rules; containers the rules ignore are left out.
     */
    private static List<Required> requiredContainers(Pod pod, ContainerRules rules) {
        if (pod.getSpec() == null
                || pod.getSpec().getContainers() == null
                || pod.getSpec().getContainers().isEmpty()) {
            throw new MalformedPodException("missing-containers", "the pod spec names no container");
        }
        PodStatus status = pod.getStatus();
        List<Required> required = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            for (Container init : pod.getSpec().getInitContainers()) {
                Role role = rules.role(init.getName(), true);
                if (!"Always".equals(init.getRestartPolicy()) && role != Role.IGNORED) {
                    required.add(new Required(
                            init.getName(), true, role, find(status.getInitContainerStatuses(), init.getName())));
                }
            }
        }
        for (Container container : pod.getSpec().getContainers()) {
            Role role = rules.role(container.getName(), false);
            if (role != Role.IGNORED) {
                required.add(new Required(
                        container.getName(), false, role, find(status.getContainerStatuses(), container.getName())));
            }
        }
        return required;
    }

    private static ContainerStatus find(List<ContainerStatus> statuses, String name) {
        if (statuses == null) {
            return null;
        }
        return statuses.stream()
                .filter(s -> Objects.equals(s.getName(), name))
                .findFirst()
                .orElse(null);
    }

    private static Instant startedAt(PodStatus status) {
        Instant earliest = null;
        for (ContainerStatus s : (Iterable<ContainerStatus>) allStatuses(status)::iterator) {
            Instant started = null;
            if (s.getState() != null && s.getState().getRunning() != null) {
                started = Rfc3339.parse(s.getState().getRunning().getStartedAt(), "state.running.startedAt");
            } else if (s.getState() != null && s.getState().getTerminated() != null) {
                started = Rfc3339.parse(s.getState().getTerminated().getStartedAt(), "state.terminated.startedAt");
            }
            if (started != null && (earliest == null || started.isBefore(earliest))) {
                earliest = started;
            }
        }
        return earliest;
    }

    /** When the first required regular container finished (a platform kills its sidecars after that), or null. */
    private static Instant firstDone(List<Required> required) {
        Instant earliest = null;
        for (Required container : required) {
            ContainerStateTerminated end = container.terminated();
            Instant finished = container.init() || end == null
                    ? null
                    : Rfc3339.parse(end.getFinishedAt(), "state.terminated.finishedAt");
            if (finished != null && (earliest == null || finished.isBefore(earliest))) {
                earliest = finished;
            }
        }
        return earliest;
    }

    /** When the last required container finished, or null while any of them has not. */
    private static Instant finishedAt(List<Required> required) {
        Instant latest = null;
        for (Required container : required) {
            ContainerStateTerminated end = container.terminated();
            if (end == null) {
                return null;
            }
            Instant finished = Rfc3339.parse(end.getFinishedAt(), "state.terminated.finishedAt");
            if (finished == null) {
                return null;
            }
            if (latest == null || finished.isAfter(latest)) {
                latest = finished;
            }
        }
        return latest;
    }

    private static String unknownMessage(String phase, PodStatus status, List<Required> containers, Instant finished) {
        for (Required container : containers) {
            if (container.role() == Role.KILLED_AFTER) {
                if (!container.killedAfter(finished)) {
                    return "The pod ended in phase " + phase + " but sidecar " + container.name()
                            + (container.terminated() == null
                                    ? " had not terminated."
                                    : " " + exitWords(container) + " before the required containers finished.");
                }
                continue;
            }
            if (container.terminated() == null) {
                return "The pod ended in phase " + phase + " but container " + container.name()
                        + (container.status() == null ? " reported no status." : " had not terminated.");
            }
            if (!container.succeeded()) {
                return "The pod ended in phase " + phase + " but container " + container.name() + " "
                        + exitWords(container) + ".";
            }
        }
        return Text.firstNonBlank(status.getMessage(), "The pod ended in phase " + phase + " without a known cause.");
    }

    private static String exitWords(Required container) {
        ContainerStateTerminated end = container.terminated();
        return "exited with code " + end.getExitCode()
                + (Text.isBlank(end.getReason()) ? "" : " (" + end.getReason() + ")");
    }

    private record Required(String name, boolean init, Role role, ContainerStatus status) {

        ContainerStateTerminated terminated() {
            return status == null || status.getState() == null
                    ? null
                    : status.getState().getTerminated();
        }

        /** Exited with a non-zero code: the workload's own failure. Anything else that is not success is unknown. */
        boolean failed() {
            ContainerStateTerminated end = terminated();
            return end != null && end.getExitCode() != null && end.getExitCode() != 0;
        }

        /**
         * A sidecar the platform killed once the required containers were done: it exited 0, 137 or 143, not before the
         * first required container finished ({@code requiredFinished}, null while one has not).
         */
        boolean killedAfter(Instant requiredFinished) {
            ContainerStateTerminated end = terminated();
            if (end == null || end.getExitCode() == null) {
                return false;
            }
            if (end.getExitCode() == 0) {
                return true;
            }
            Instant at = Rfc3339.parse(end.getFinishedAt(), "state.terminated.finishedAt");
            return KILL_EXIT_CODES.contains(end.getExitCode())
                    && requiredFinished != null
                    && at != null
                    && !at.isBefore(requiredFinished);
        }

        boolean succeeded() {
            ContainerStateTerminated end = terminated();
            return end != null
                    && end.getExitCode() != null
                    && end.getExitCode() == 0
                    && !OOM_KILLED_REASON.equals(end.getReason())
                    && !"Error".equals(end.getReason())
                    && !STATUS_UNKNOWN_REASON.equals(end.getReason());
        }
    }
}
