package io.stagewatch.run;

import static io.stagewatch.run.FailureCause.INFRASTRUCTURE;
import static io.stagewatch.run.FailureCause.WORKLOAD;

/**
 * Why a run or a workflow failed, each reason belonging to one cause. {@link #CANCELLED}, {@link #PLATFORM_FAILED} and
 * {@link #PLATFORM_STUCK} are a workflow's only (its platform's word, when no run of it explains the failure).
 */
public enum FailureReason {
    EXIT_CODE(WORKLOAD, "a container exited with a non-zero code"),
    OOM_KILLED(WORKLOAD, "a container ran out of memory"),
    INIT_FAILED(WORKLOAD, "an init container failed"),
    DEADLINE_EXCEEDED(WORKLOAD, "ran past its deadline"),
    START_TIMEOUT(WORKLOAD, "the pod never started"),
    CANCELLED(WORKLOAD, "cancelled"),
    PLATFORM_FAILED(WORKLOAD, "failed by its platform, no step failed"),
    NODE_SHUTDOWN(INFRASTRUCTURE, "node shutdown"),
    NODE_LOST(INFRASTRUCTURE, "node lost"),
    EVICTED(INFRASTRUCTURE, "evicted"),
    PREEMPTED(INFRASTRUCTURE, "preempted"),
    DISRUPTED(INFRASTRUCTURE, "disrupted"),
    ADMISSION_REJECTED(INFRASTRUCTURE, "rejected by the node"),
    CONTAINER_LOST(INFRASTRUCTURE, "container lost"),
    POD_DELETED(INFRASTRUCTURE, "pod deleted"),
    POD_VANISHED(INFRASTRUCTURE, "pod vanished"),
    UNKNOWN(INFRASTRUCTURE, "unknown termination"),
    PLATFORM_STUCK(INFRASTRUCTURE, "every step ended, but its platform never finished it");

    private final FailureCause cause;
    private final String words;

    FailureReason(FailureCause cause, String words) {
        this.cause = cause;
        this.words = words;
    }

    public FailureCause cause() {
        return cause;
    }

    /** The reason in a few words a person understands. */
    public String words() {
        return words;
    }

    /**
     * True for reasons inferred from the absence of a pod rather than read from its final status. Such a verdict
     * never contradicts a terminal status already recorded: the pod's real outcome was seen first.
     */
    public boolean inferredFromAbsence() {
        return this == POD_DELETED || this == POD_VANISHED || this == START_TIMEOUT;
    }
}
