package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Transition;
import java.time.Instant;

/** A transition as the API shows it. */
@RegisterForReflection
public record TransitionJson(
        long id,
        RunStatus from,
        RunStatus to,
        FailureCause cause,
        FailureReason reason,
        String reasonText,
        String message,
        Source source,
        Instant at) {

    static TransitionJson of(Transition t) {
        return new TransitionJson(
                t.id(),
                t.from(),
                t.to(),
                t.cause(),
                t.reason(),
                RunJson.words(t.reason()),
                t.message(),
                t.source(),
                t.at());
    }
}
