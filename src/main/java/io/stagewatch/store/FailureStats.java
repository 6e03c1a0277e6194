package io.stagewatch.store;

import java.time.LocalDate;
import java.util.List;

/** Counts of finished runs: per group (the grouping's value, "none" where a run has none) and per UTC day. */
public record FailureStats(List<Group> groups, List<Day> days) {

    public record Group(String key, long succeeded, long failed, long workload, long infrastructure) {}

    public record Day(LocalDate day, long succeeded, long workload, long infrastructure) {}
}
