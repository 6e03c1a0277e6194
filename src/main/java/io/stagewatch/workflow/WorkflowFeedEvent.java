package io.stagewatch.workflow;

import io.stagewatch.run.FeedItem;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Transition;

/** A committed transition of a workflow, as the status feed publishes it (an event named {@code workflow}). */
public record WorkflowFeedEvent(Transition transition, Workflow workflow, FeedPosition position) implements FeedItem {

    @Override
    public Stage stage() {
        return workflow.stage();
    }

    @Override
    public String pipeline() {
        return workflow.pipeline();
    }

    @Override
    public String namespace() {
        return workflow.namespace();
    }

    @Override
    public String cluster() {
        return workflow.cluster();
    }
}
