package io.stagewatch.workflow;

import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One run (one pod) of a workflow, as stagewatch judged it.
 *
 * @param reason     why it failed; null unless FAILED
 * @param createdAt  when stagewatch first saw it: orders attempts of one number, and tells whether new pods still appear
 * @param finishedAt when it ended, when known
 */
public record WorkflowRun(
        String uid,
        String pod,
        Step step,
        RunStatus status,
        FailureReason reason,
        Instant createdAt,
        Instant finishedAt) {

    public WorkflowRun {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((status == RunStatus.FAILED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly when the status is FAILED");
        }
    }

    public FailureCause cause() {
        return reason == null ? null : reason.cause();
    }

    boolean failedBy(FailureCause cause) {
        return status == RunStatus.FAILED && reason.cause() == cause;
    }

    /** Whether {@code other} is a later attempt of the same step. */
    boolean isFollowedBy(WorkflowRun other) {
        if (!step.key().equals(other.step.key())) {
            return false;
        }
        int attempts = Integer.compare(other.step.attempt(), step.attempt());
        return attempts > 0 || (attempts == 0 && other.createdAt.isAfter(createdAt));
    }
}
