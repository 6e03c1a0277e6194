package io.stagewatch.run;

/** A committed transition with the run it belongs to, as the status feed publishes it, at its place in the feed. */
public record FeedEvent(Transition transition, Run run, FeedPosition position) {}
