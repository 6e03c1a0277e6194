package io.stagewatch.run;

import java.time.Instant;

/** A recorded run, as stored and as shown to users. */
public record Run(
        String uid,
        String namespace,
        String pod,
        String workflow,
        String pipeline,
        String app,
        String environment,
        Stage stage,
        RunStatus status,
        FailureCause cause,
        FailureReason reason,
        String message,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt) {
}
