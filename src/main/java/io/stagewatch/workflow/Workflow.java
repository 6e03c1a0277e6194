package io.stagewatch.workflow;

import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import java.time.Instant;

/**
 * A recorded workflow, as stored and as shown to users: its identity, what it runs, and its latest verdict.
 *
 * @param platform the id of the profile whose pods it owns ({@link io.stagewatch.run.Platform#id()})
 * @param kind     the object's kind ({@link WorkflowKind#kind()})
 */
public record Workflow(
        String uid,
        String cluster,
        String platform,
        String kind,
        String namespace,
        String name,
        String pipeline,
        Stage stage,
        RunStatus status,
        FailureCause cause,
        FailureReason reason,
        String message,
        String platformStatus,
        boolean contradiction,
        int infrastructureRetries,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt) {}
