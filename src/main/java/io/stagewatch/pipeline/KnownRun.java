package io.stagewatch.pipeline;

import io.stagewatch.run.RunStatus;
import io.stagewatch.store.RunVersion;
import java.util.EnumSet;
import java.util.Set;

/**
 * What this instance last committed or read for a run. Statuses only move forward, so a stale entry can only lag
 * behind the database: a decision made on it either repeats what is stored (no write) or loses the compare-and-set
 * and is decided again on a fresh read.
 *
 * @param rejected  target statuses already rejected (and logged) for this run
 * @param decidedOn the resourceVersion of the pod this instance last decided on, null when none is known: the same
 *                  version observed again cannot change the decision
 */
record KnownRun(RunVersion version, Set<RunStatus> rejected, String decidedOn) {

    KnownRun(RunVersion version) {
        this(version, Set.of(), null);
    }

    KnownRun withRejected(RunStatus to) {
        EnumSet<RunStatus> more = EnumSet.of(to);
        more.addAll(rejected);
        return new KnownRun(version, more, decidedOn);
    }

    KnownRun withDecidedOn(String resourceVersion) {
        return new KnownRun(version, rejected, resourceVersion);
    }
}
