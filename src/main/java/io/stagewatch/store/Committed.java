package io.stagewatch.store;

/** A transition that was committed: the run's new version. */
public record Committed(long version) {}
