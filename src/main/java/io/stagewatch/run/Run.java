package io.stagewatch.run;

import java.time.Instant;

/**
 * A recorded run, as stored and as shown to users.
 *
 * @param platform the id of the profile that read its pod ({@link Platform#id()}), as stored
 * @param node     the node its pod was scheduled to, when known
 * @param atRisk   why the unfinished run is at risk ({@link NodeLoss}), else null
 * @param workflowUid the UID of the workflow the run is a step of, or null
 */
public record Run(
        String uid,
        String namespace,
        String pod,
        RunNames names,
        Stage stage,
        String platform,
        RunStatus status,
        FailureCause cause,
        FailureReason reason,
        String message,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        String node,
        String atRisk,
        String workflowUid) {}
