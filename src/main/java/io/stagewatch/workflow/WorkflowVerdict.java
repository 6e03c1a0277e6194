package io.stagewatch.workflow;

import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A workflow's verdict: stagewatch's, with the platform's own word beside it. Final exactly when its status is
 * terminal; a final verdict is one transition, never changed.
 *
 * @param reason                why it failed; null unless FAILED
 * @param message               names the failing step and why, and the platform's word when it differs; may be null
 * @param platformStatus        the controller's own word, verbatim ({@link WorkflowObject#platformStatus()}); null
 *                              without the object
 * @param contradiction         the platform reports success, and stagewatch says FAILED
 * @param infrastructureRetries the runs that failed with cause INFRASTRUCTURE and were followed by another attempt of
 *                              the same step
 * @param explainedBy           the UID of the run whose failure the verdict names, or null
 * @param decideAgainAt         for a verdict not final yet, when it becomes final without anything else happening (the
 *                              settle time of a workflow without its object, the stuck-after time of one whose platform
 *                              never finishes); else null
 */
public record WorkflowVerdict(
        RunStatus status,
        FailureReason reason,
        String message,
        String platformStatus,
        boolean contradiction,
        int infrastructureRetries,
        String explainedBy,
        Instant decideAgainAt) {

    public WorkflowVerdict {
        Objects.requireNonNull(status, "status");
        if ((status == RunStatus.FAILED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly when the status is FAILED");
        }
        if (contradiction && status != RunStatus.FAILED) {
            throw new IllegalArgumentException("only a FAILED verdict contradicts the platform");
        }
    }

    public FailureCause cause() {
        return reason == null ? null : reason.cause();
    }

    /** Whether the verdict is final: terminal, and absorbing. */
    public boolean isFinal() {
        return status.isTerminal();
    }
}
