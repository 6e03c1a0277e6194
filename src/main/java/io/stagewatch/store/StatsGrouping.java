package io.stagewatch.store;

/** What failure statistics are grouped by: a column of the finished runs. */
public enum StatsGrouping {
    CAUSE,
    REASON,
    STAGE,
    PIPELINE,
    /** The profile that read the run's pod: {@code argo}, {@code devtron}, ... */
    PLATFORM,
    /** The cluster of the run's pod. */
    CLUSTER
}
