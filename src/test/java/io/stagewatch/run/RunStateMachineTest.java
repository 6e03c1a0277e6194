package io.stagewatch.run;

import static io.stagewatch.run.RunStatus.FAILED;
import static io.stagewatch.run.RunStatus.PENDING;
import static io.stagewatch.run.RunStatus.RUNNING;
import static io.stagewatch.run.RunStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The status rules of docs/classification.md, "Statuses". */
class RunStateMachineTest {

    // ------------------------------------------------------------------ new runs

    @ParameterizedTest(name = "new run seen {0}")
    @EnumSource(RunStatus.class)
    void newRunIsATransitionFromNothing(RunStatus status) {
        Verdict verdict = verdict(status);

        Decision decision = RunStateMachine.decide(null, verdict);

        assertEquals(new Decision.Transition(null, verdict), decision);
    }

    @ParameterizedTest(name = "new run {0}")
    @EnumSource(
            value = FailureReason.class,
            names = {"POD_DELETED", "POD_VANISHED", "START_TIMEOUT"})
    void newRunFailedForAbsenceIsStillRecorded(FailureReason reason) {
        Verdict verdict = Verdict.failed(reason, "gone");

        assertEquals(new Decision.Transition(null, verdict), RunStateMachine.decide(null, verdict));
    }

    // ------------------------------------------------------------------ repeats

    @ParameterizedTest(name = "{0} again")
    @EnumSource(RunStatus.class)
    void sameStatusAgainIsNoChange(RunStatus status) {
        assertNoChange(RunStateMachine.decide(status, verdict(status)));
    }

    @Test
    void failedRunFailingAgainForAnotherReasonIsNoChange() {
        assertNoChange(RunStateMachine.decide(FAILED, Verdict.failed(FailureReason.NODE_LOST, "node gone")));
    }

    // ------------------------------------------------------------------ forward moves

    @Test
    void pendingRunThatStartsIsATransitionToRunning() {
        Verdict running = verdict(RUNNING);

        assertEquals(new Decision.Transition(PENDING, running), RunStateMachine.decide(PENDING, running));
    }

    @Test
    void runningRunThatSucceedsIsATransitionToSucceeded() {
        Verdict succeeded = verdict(SUCCEEDED);

        assertEquals(new Decision.Transition(RUNNING, succeeded), RunStateMachine.decide(RUNNING, succeeded));
    }

    @Test
    void pendingRunThatFailsIsATransitionToFailed() {
        Verdict failed = Verdict.failed(FailureReason.ADMISSION_REJECTED, "OutOfcpu");

        assertEquals(new Decision.Transition(PENDING, failed), RunStateMachine.decide(PENDING, failed));
    }

    @Test
    void pendingRunThatSucceedsAtOnceIsATransitionToSucceeded() {
        Verdict succeeded = verdict(SUCCEEDED);

        assertEquals(new Decision.Transition(PENDING, succeeded), RunStateMachine.decide(PENDING, succeeded));
    }

    @Test
    void pendingRunThatNeverStartsFailsWithStartTimeout() {
        Verdict timeout = Verdict.failed(FailureReason.START_TIMEOUT, "pending for 15m");

        assertEquals(new Decision.Transition(PENDING, timeout), RunStateMachine.decide(PENDING, timeout));
    }

    @Test
    void runWhoseInitContainersRanButWhoseContainersNeverStartFailsWithStartTimeout() {
        Verdict timeout = Verdict.failed(FailureReason.START_TIMEOUT, "waiting on ImagePullBackOff for 15m");

        assertEquals(new Decision.Transition(RUNNING, timeout), RunStateMachine.decide(RUNNING, timeout));
    }

    @ParameterizedTest(name = "{0} run whose pod is {1}")
    @MethodSource("activeRunsAndAbsences")
    void activeRunWhosePodIsGoneFails(RunStatus current, FailureReason reason) {
        Verdict gone = Verdict.failed(reason, "gone");

        assertEquals(new Decision.Transition(current, gone), RunStateMachine.decide(current, gone));
    }

    static Stream<Arguments> activeRunsAndAbsences() {
        return Stream.of(PENDING, RUNNING)
                .flatMap(current -> Stream.of(FailureReason.POD_DELETED, FailureReason.POD_VANISHED)
                        .map(reason -> Arguments.of(current, reason)));
    }

    @Test
    void transitionCarriesTheVerdictItself() {
        Verdict verdict = Verdict.failed(FailureReason.NODE_SHUTDOWN, "node shut down");

        Decision.Transition transition =
                assertInstanceOf(Decision.Transition.class, RunStateMachine.decide(RUNNING, verdict));

        assertSame(verdict, transition.verdict());
        assertEquals(RUNNING, transition.from());
    }

    // ------------------------------------------------------------------ rejected moves

    @Test
    void runningRunGoingBackToPendingIsRejected() {
        assertEquals(new Decision.Rejected(RUNNING, PENDING), RunStateMachine.decide(RUNNING, verdict(PENDING)));
    }

    @Test
    void succeededRunThatLaterLooksFailedIsRejected() {
        Verdict failed = Verdict.failed(FailureReason.EXIT_CODE, "exit 1");

        assertEquals(new Decision.Rejected(SUCCEEDED, FAILED), RunStateMachine.decide(SUCCEEDED, failed));
    }

    @Test
    void failedRunThatLaterLooksSucceededIsRejected() {
        assertEquals(new Decision.Rejected(FAILED, SUCCEEDED), RunStateMachine.decide(FAILED, verdict(SUCCEEDED)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("terminalAndEarlier")
    void terminalRunNeverMovesBack(RunStatus current, RunStatus next) {
        assertEquals(new Decision.Rejected(current, next), RunStateMachine.decide(current, verdict(next)));
    }

    static Stream<Arguments> terminalAndEarlier() {
        return Stream.of(SUCCEEDED, FAILED)
                .flatMap(current -> Stream.of(PENDING, RUNNING).map(next -> Arguments.of(current, next)));
    }

    // ------------------------------------------------------------------ absence after a terminal status

    @ParameterizedTest(name = "{0} run, then {1}")
    @MethodSource("terminalRunsAndAbsences")
    void terminalRunWhosePodLaterDisappearsIsNoChange(RunStatus current, FailureReason reason) {
        assertNoChange(RunStateMachine.decide(current, Verdict.failed(reason, "gone")));
    }

    static Stream<Arguments> terminalRunsAndAbsences() {
        return Stream.of(SUCCEEDED, FAILED)
                .flatMap(current -> Stream.of(
                                FailureReason.POD_DELETED, FailureReason.POD_VANISHED, FailureReason.START_TIMEOUT)
                        .map(reason -> Arguments.of(current, reason)));
    }

    @ParameterizedTest(name = "SUCCEEDED run, then {0}")
    @EnumSource(
            value = FailureReason.class,
            mode = EnumSource.Mode.EXCLUDE,
            names = {"POD_DELETED", "POD_VANISHED", "START_TIMEOUT"})
    void succeededRunContradictedByAnyObservedFailureIsRejected(FailureReason reason) {
        assertEquals(
                new Decision.Rejected(SUCCEEDED, FAILED),
                RunStateMachine.decide(SUCCEEDED, Verdict.failed(reason, "seen")));
    }

    // ------------------------------------------------------------------ every pair

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("everyPair")
    void everyPairOfStatusesFollowsTheDesign(RunStatus current, RunStatus next) {
        Verdict verdict = verdict(next);

        Decision decision = RunStateMachine.decide(current, verdict);

        assertEquals(expected(current, verdict), decision);
    }

    static Stream<Arguments> everyPair() {
        RunStatus[] withNew = Stream.concat(Stream.of((RunStatus) null), Arrays.stream(RunStatus.values()))
                .toArray(RunStatus[]::new);
        return Arrays.stream(withNew)
                .flatMap(current -> Arrays.stream(RunStatus.values()).map(next -> Arguments.of(current, next)));
    }

    /** docs/classification.md, "Statuses", written out independently of the code under test. */
    private static Decision expected(RunStatus current, Verdict verdict) {
        RunStatus next = verdict.status();
        if (current == null) {
            return new Decision.Transition(null, verdict);
        }
        if (current == next) {
            return new Decision.NoChange();
        }
        boolean allowed = switch (current) {
            case PENDING -> next == RUNNING || next == SUCCEEDED || next == FAILED;
            case RUNNING -> next == SUCCEEDED || next == FAILED;
            case SUCCEEDED, FAILED -> false;
        };
        return allowed ? new Decision.Transition(current, verdict) : new Decision.Rejected(current, next);
    }

    // ------------------------------------------------------------------ helpers

    private static Verdict verdict(RunStatus status) {
        return status == FAILED
                ? Verdict.failed(FailureReason.EXIT_CODE, "exit 1")
                : new Verdict(status, null, null, null, null);
    }

    private static void assertNoChange(Decision decision) {
        assertInstanceOf(Decision.NoChange.class, decision);
    }
}
