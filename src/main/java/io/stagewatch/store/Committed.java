package io.stagewatch.store;

/** A transition that was committed: the run's new version and the transition's id. */
public record Committed(long version, long transitionId) {
}
