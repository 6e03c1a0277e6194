package io.stagewatch.run;

import java.time.Instant;
import java.util.Objects;

/**
 * What one observation of a pod says about its run.
 *
 * @param status     the status the pod shows
 * @param reason     why the run failed; null unless {@code status} is FAILED
 * @param message    the pod's own explanation, or ours; may be null
 * @param startedAt  when the first container started, when known
 * @param finishedAt when the last required container finished, when known
 */
public record Verdict(RunStatus status, FailureReason reason, String message, Instant startedAt, Instant finishedAt) {

    public Verdict {
        Objects.requireNonNull(status, "status");
        if ((status == RunStatus.FAILED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly when the status is FAILED");
        }
    }

    public static Verdict failed(FailureReason reason, String message) {
        return new Verdict(RunStatus.FAILED, reason, message, null, null);
    }

    public FailureCause cause() {
        return reason == null ? null : reason.cause();
    }

    Verdict withTimes(Instant started, Instant finished) {
        return new Verdict(status, reason, message, started, finished);
    }
}
