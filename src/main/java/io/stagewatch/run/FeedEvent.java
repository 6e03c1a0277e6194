package io.stagewatch.run;

/** A committed transition with the run it belongs to, as the status feed publishes it, at its place in the feed. */
public record FeedEvent(Transition transition, Run run, FeedPosition position) implements FeedItem {

    @Override
    public Stage stage() {
        return run.stage();
    }

    @Override
    public String pipeline() {
        return run.names().pipeline();
    }

    @Override
    public String namespace() {
        return run.namespace();
    }

    @Override
    public String cluster() {
        return run.names().cluster();
    }
}
