package io.stagewatch.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.FeedEvent;
import io.stagewatch.run.Run;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import java.time.Instant;

/**
 * The data of one feed event: the run as it is now, its names unwrapped as in {@link RunJson} (without its
 * notification counts: the feed is not the place to count), plus the transition's {@code from}, {@code to} and
 * {@code at}.
 */
@RegisterForReflection
public record FeedEventJson(
        long id,
        String uid,
        String namespace,
        String pod,
        @JsonUnwrapped RunNames names,
        Stage stage,
        String platform,
        RunStatus status,
        FailureCause cause,
        FailureReason reason,
        String reasonText,
        String message,
        String node,
        String atRisk,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        RunStatus from,
        RunStatus to,
        Instant at) {

    static FeedEventJson of(FeedEvent event) {
        Run run = event.run();
        return new FeedEventJson(
                event.transition().id(),
                run.uid(),
                run.namespace(),
                run.pod(),
                run.names(),
                run.stage(),
                run.platform(),
                run.status(),
                run.cause(),
                run.reason(),
                RunJson.words(run.reason()),
                run.message(),
                run.node(),
                run.atRisk(),
                run.createdAt(),
                run.startedAt(),
                run.finishedAt(),
                run.updatedAt(),
                event.transition().from(),
                event.transition().to(),
                event.transition().at());
    }
}
