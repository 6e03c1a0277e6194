package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stagewatch.kube.FinalizerDecision.Action;
import io.stagewatch.kube.FinalizerDecision.Forced;
import io.stagewatch.run.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When stagewatch holds a pod with its finalizer and when it lets go, decided from plain facts. */
class FinalizerDecisionTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration MAX_HOLD = Duration.ofMinutes(10);

    @ParameterizedTest(name = "{0} run, holds {1}, labelled {2}, deleting {3}: {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                // an unfinished run's pod is held, and labelled so that the sweep can list it
                "PENDING   | false | false | false | HOLD",
                "RUNNING   | false | false | false | HOLD",
                "RUNNING   | false | true  | false | HOLD",
                // held by a release that did not label its pods: held again, which labels it
                "RUNNING   | true  | false | false | HOLD",
                "RUNNING   | true  | true  | false | NOTHING",
                // a pod whose deletion has begun is never held anew
                "RUNNING   | false | false | true  | NOTHING",
                "RUNNING   | true  | false | true  | NOTHING",
                // a finished run's pod is let go, deleting or not, labelled or not
                "SUCCEEDED | true  | true  | false | RELEASE",
                "FAILED    | true  | true  | true  | RELEASE",
                "SUCCEEDED | true  | false | false | RELEASE",
                // a finished run's pod that stagewatch does not hold is left as it is
                "SUCCEEDED | false | false | false | NOTHING",
                "FAILED    | false | true  | true  | NOTHING"
            })
    void aRecordedStatusHoldsAnUnfinishedRunsPodAndReleasesAFinishedOnes(
            RunStatus recorded, boolean holds, boolean labelled, boolean deleting, Action action) {
        assertEquals(action, FinalizerDecision.afterRecorded(true, recorded, holds, labelled, deleting));
    }

    @ParameterizedTest(name = "{0} run, holds {1}")
    @CsvSource({"RUNNING, false", "RUNNING, true", "SUCCEEDED, true", "FAILED, true"})
    void switchedOffARecordedStatusNeitherHoldsNorReleases(RunStatus recorded, boolean holds) {
        assertEquals(Action.NOTHING, FinalizerDecision.afterRecorded(false, recorded, holds, !holds, false));
    }

    @ParameterizedTest(name = "enabled {0}, holds {1}, in scope {2}, deletion asked {3} min ago: {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                // switched off: every pod still held goes, whatever its run
                "false | true  | true  |    | DISABLED",
                "false | true  | false | 60 | DISABLED",
                // a pod no enabled profile can read any longer goes
                "true  | true  | false |    | OUT_OF_SCOPE",
                "true  | true  | false | 60 | OUT_OF_SCOPE",
                // a deletion never waits on stagewatch for longer than the maximum hold
                "true  | true  | true  | 11 | MAX_HOLD",
                "true  | true  | true  | 10 |",
                "true  | true  | true  | 1  |",
                // a pod in scope, not being deleted, stays held until its outcome is recorded
                "true  | true  | true  |    |",
                // labelled but without the finalizer: nothing to release
                "false | false | true  |    |",
                "true  | false | false | 60 |"
            })
    void theSweepReleasesTheHeldPodsStagewatchMustNotHoldAnyLonger(
            boolean enabled, boolean holds, boolean inScope, Long deletionMinutesAgo, Forced forced) {
        Instant deletionRequested =
                deletionMinutesAgo == null ? null : NOW.minus(Duration.ofMinutes(deletionMinutesAgo));
        assertEquals(
                Optional.ofNullable(forced),
                FinalizerDecision.inSweep(enabled, holds, inScope, deletionRequested, NOW.minus(MAX_HOLD)));
    }
}
