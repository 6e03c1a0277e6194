package io.stagewatch.workflow;

/**
 * An end the platform made on purpose, which deletes the pods still at work: those deletions are not infrastructure
 * kills, so they fail no workflow (rule 3 of the verdict).
 */
public enum Interruption {
    NONE,
    /** Cancelled by someone: Argo {@code spec.shutdown} Terminate or Stop, Tekton {@code Cancelled} and its kin. */
    CANCELLED,
    /** A deadline: Argo {@code activeDeadlineSeconds}, Tekton's timeouts, a Job's {@code DeadlineExceeded}. */
    TIMED_OUT,
    /** A Job that reached its completions (or its success policy) removes its surplus pods. */
    COMPLETIONS_REACHED;

    /** Whether the platform deletes the remaining pods on purpose. */
    public boolean deletesPods() {
        return this != NONE;
    }
}
