package io.stagewatch.run;

import java.time.Instant;

/** One recorded status change of a run; {@code from} is null for the first. */
public record Transition(
        long id,
        String runUid,
        RunStatus from,
        RunStatus to,
        FailureCause cause,
        FailureReason reason,
        String message,
        Source source,
        Instant at) {}
