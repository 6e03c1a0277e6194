package io.stagewatch.pipeline;

import java.util.EnumSet;
import java.util.Set;

import io.stagewatch.run.RunStatus;
import io.stagewatch.store.RunVersion;

/**
 * What this instance last committed or read for a run. Statuses only move forward, so a stale entry can only lag
 * behind the database: a decision made on it either repeats what is stored (no write) or loses the compare-and-set
 * and is decided again on a fresh read.
 *
 * @param rejected target statuses already rejected (and logged) for this run
 */
record KnownRun(RunVersion version, Set<RunStatus> rejected) {

    KnownRun(RunVersion version) {
        this(version, Set.of());
    }

    KnownRun withRejected(RunStatus to) {
        EnumSet<RunStatus> more = EnumSet.of(to);
        more.addAll(rejected);
        return new KnownRun(version, more);
    }
}
