package io.stagewatch.store;

/** What failure statistics are grouped by: a column of the finished runs. */
public enum StatsGrouping {
    CAUSE,
    REASON,
    STAGE,
    PIPELINE,
    /** Runs carry no platform yet (it arrives with platform support): every run counts under "stagewatch" till then. */
    PLATFORM
}
