package io.stagewatch.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.run.RunStatus;
import io.stagewatch.workflow.WorkflowFeedEvent;
import java.time.Instant;

/**
 * The data of a feed event {@code workflow}: the workflow as it is now ({@link WorkflowJson}, without its runs), plus
 * the transition's {@code from}, {@code to} and {@code at}, as a run's event has them.
 */
@RegisterForReflection
public record WorkflowEventJson(
        long id, @JsonUnwrapped WorkflowJson workflow, RunStatus from, RunStatus to, Instant at) {

    static WorkflowEventJson of(WorkflowFeedEvent event) {
        return new WorkflowEventJson(
                event.transition().id(),
                WorkflowJson.of(event.workflow(), null),
                event.transition().from(),
                event.transition().to(),
                event.transition().at());
    }
}
