package io.stagewatch.run;

/**
 * What the status feed publishes at one place of its order: a run's transition ({@link FeedEvent}) or a workflow's
 * (in {@code io.stagewatch.workflow}), with what the feed's filters read.
 */
public interface FeedItem {

    FeedPosition position();

    Transition transition();

    Stage stage();

    String pipeline();

    String namespace();

    String cluster();
}
