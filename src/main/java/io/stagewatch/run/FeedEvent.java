package io.stagewatch.run;

/** A committed transition with the run it belongs to, as the status feed publishes it. */
public record FeedEvent(Transition transition, Run run) {

    public long id() {
        return transition.id();
    }
}
