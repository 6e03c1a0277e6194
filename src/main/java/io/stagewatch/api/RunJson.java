package io.stagewatch.api;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;

/** A run as the API shows it. */
@RegisterForReflection
public record RunJson(String uid, String namespace, String pod, String workflow, String pipeline, String app,
        String environment, Stage stage, RunStatus status, FailureCause cause, FailureReason reason, String message,
        Instant createdAt, Instant startedAt, Instant finishedAt, Instant updatedAt) {

    static RunJson of(Run run) {
        return new RunJson(run.uid(), run.namespace(), run.pod(), run.workflow(), run.pipeline(), run.app(),
                run.environment(), run.stage(), run.status(), run.cause(), run.reason(), run.message(), run.createdAt(),
                run.startedAt(), run.finishedAt(), run.updatedAt());
    }
}
