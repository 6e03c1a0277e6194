package io.stagewatch.workflow;

import static io.stagewatch.run.FailureReason.CANCELLED;
import static io.stagewatch.run.FailureReason.EVICTED;
import static io.stagewatch.run.FailureReason.EXIT_CODE;
import static io.stagewatch.run.FailureReason.NODE_SHUTDOWN;
import static io.stagewatch.run.FailureReason.OOM_KILLED;
import static io.stagewatch.run.FailureReason.PLATFORM_FAILED;
import static io.stagewatch.run.FailureReason.PLATFORM_STUCK;
import static io.stagewatch.run.FailureReason.POD_DELETED;
import static io.stagewatch.run.RunStatus.FAILED;
import static io.stagewatch.run.RunStatus.PENDING;
import static io.stagewatch.run.RunStatus.RUNNING;
import static io.stagewatch.run.RunStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stagewatch.run.FailureReason;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict rules one by one, on hand-made runs and objects; the fixtures play them as the platforms write them. */
class WorkflowJudgeTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration STUCK = Duration.ofMinutes(30);
    private static final WorkflowJudge JUDGE = new WorkflowJudge(SETTLE, STUCK);

    // ------------------------------------------------------------------ rule 1: PENDING, then RUNNING

    @Test
    void aWorkflowIsPendingUntilOneOfItsRunsRuns() {
        assertEquals(PENDING, JUDGE.judge(running(), List.of(), at(10)).status());
        assertEquals(
                PENDING,
                JUDGE.judge(running(), List.of(run("a", PENDING, null, 0, null)), at(10))
                        .status());
        assertEquals(
                RUNNING,
                JUDGE.judge(
                                running(),
                                List.of(run("a", PENDING, null, 0, null), run("b", RUNNING, null, 0, null)),
                                at(10))
                        .status());
    }

    // ------------------------------------------------------------------ rule 2: when the verdict is final

    @Test
    void aFinishedObjectWaitsForEveryRunToEnd() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.SUCCEEDED, "Succeeded"),
                List.of(run("a", SUCCEEDED, null, 0, 60), run("b", RUNNING, null, 0, null)),
                at(3600));
        assertAll(
                () -> assertEquals(RUNNING, verdict.status()),
                () -> assertFalse(verdict.isFinal()),
                () -> assertNull(verdict.decideAgainAt(), "only a new observation changes it"));
    }

    @Test
    void withoutItsObjectAWorkflowIsFinalOnceNothingNewAppearedForTheSettleTime() {
        List<WorkflowRun> runs = List.of(run("a", SUCCEEDED, null, 0, 60), run("b", SUCCEEDED, null, 20, 80));
        WorkflowVerdict early = JUDGE.judge(null, runs, at(109));
        assertAll(
                () -> assertEquals(RUNNING, early.status()),
                () -> assertEquals(at(110), early.decideAgainAt()),
                () -> assertNull(early.platformStatus()));
        assertEquals(SUCCEEDED, JUDGE.judge(null, runs, at(110)).status());
    }

    @Test
    void aNewPodRestartsTheSettleTime() {
        List<WorkflowRun> runs = List.of(run("a", SUCCEEDED, null, 0, 60), run("b", FAILED, EXIT_CODE, 100, null));
        assertEquals(at(130), JUDGE.judge(null, runs, at(120)).decideAgainAt());
        assertEquals(EXIT_CODE, JUDGE.judge(null, runs, at(130)).reason());
    }

    @Test
    void withoutItsObjectEveryFailureNotMadeGoodCounts() {
        WorkflowVerdict verdict = JUDGE.judge(null, List.of(run("a", FAILED, EXIT_CODE, 0, 60)), at(3600));
        assertAll(
                () -> assertEquals(FAILED, verdict.status()),
                () -> assertEquals(EXIT_CODE, verdict.reason()),
                () -> assertFalse(verdict.contradiction(), "no platform word to contradict"));
    }

    @Test
    void aPlatformThatNeverFinishesIsStuckAfterTheStuckTime() {
        List<WorkflowRun> runs = List.of(run("a", SUCCEEDED, null, 0, 60));
        WorkflowVerdict waiting =
                JUDGE.judge(running(), runs, at(60).plus(STUCK).minusSeconds(1));
        assertAll(
                () -> assertEquals(RUNNING, waiting.status()),
                () -> assertEquals(at(60).plus(STUCK), waiting.decideAgainAt()));
        WorkflowVerdict stuck = JUDGE.judge(running(), runs, at(60).plus(STUCK));
        assertAll(
                () -> assertEquals(FAILED, stuck.status()),
                () -> assertEquals(PLATFORM_STUCK, stuck.reason()),
                () -> assertEquals("Running", stuck.platformStatus()),
                () -> assertTrue(stuck.message().contains("Argo never finished the Workflow"), stuck.message()));
    }

    @Test
    void aStuckWorkflowWithAnInfrastructureKillIsFailedByTheKill() {
        List<WorkflowRun> runs = List.of(run("a", FAILED, NODE_SHUTDOWN, 0, 60));
        assertEquals(
                NODE_SHUTDOWN, JUDGE.judge(running(), runs, at(60).plus(STUCK)).reason());
    }

    // ------------------------------------------------------------------ rule 3: never SUCCEEDED over an infrastructure
    // kill

    @Test
    void anInfrastructureKillFailsAWorkflowThePlatformCallsSuccessful() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.SUCCEEDED, "Succeeded"),
                List.of(run("a", SUCCEEDED, null, 0, 60), run("b", FAILED, NODE_SHUTDOWN, 0, 90)),
                at(200));
        assertAll(
                () -> assertEquals(FAILED, verdict.status()),
                () -> assertEquals(NODE_SHUTDOWN, verdict.reason()),
                () -> assertTrue(verdict.contradiction()),
                () -> assertEquals("b", verdict.explainedBy()),
                () -> assertEquals("step step-b: node shutdown; Argo reported Succeeded", verdict.message()));
    }

    @Test
    void aLaterAttemptThatSucceededMakesGoodAnInfrastructureKillAndIsCountedAsARetry() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.SUCCEEDED, "Succeeded"),
                List.of(
                        attempt("a0", "build", 0, FAILED, EVICTED, 0, 60),
                        attempt("a1", "build", 1, SUCCEEDED, null, 70, 120)),
                at(200));
        assertAll(
                () -> assertEquals(SUCCEEDED, verdict.status()),
                () -> assertEquals(1, verdict.infrastructureRetries()),
                () -> assertFalse(verdict.contradiction()));
    }

    @Test
    void aLaterAttemptThatFailedTooMakesNothingGoodButStillCountsAsARetry() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.FAILED, "Failed"),
                List.of(
                        attempt("a0", "build", 0, FAILED, EVICTED, 0, 60),
                        attempt("a1", "build", 1, FAILED, EXIT_CODE, 70, 120)),
                at(200));
        assertAll(
                () -> assertEquals(EVICTED, verdict.reason(), "the first to finish"),
                () -> assertEquals(1, verdict.infrastructureRetries()));
    }

    @Test
    void anAttemptOfAnotherStepMakesNothingGood() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.SUCCEEDED, "Succeeded"),
                List.of(
                        attempt("a0", "build", 0, FAILED, EVICTED, 0, 60),
                        attempt("b1", "test", 1, SUCCEEDED, null, 70, 120)),
                at(200));
        assertAll(
                () -> assertEquals(EVICTED, verdict.reason()), () -> assertEquals(0, verdict.infrastructureRetries()));
    }

    @Test
    void aPodRecreatedForTheSameAttemptIsALaterAttempt() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.SUCCEEDED, "Succeeded"),
                List.of(
                        attempt("p1", "build", 0, FAILED, POD_DELETED, 0, 60),
                        attempt("p2", "build", 0, SUCCEEDED, null, 61, 120)),
                at(200));
        assertAll(
                () -> assertEquals(SUCCEEDED, verdict.status()),
                () -> assertEquals(1, verdict.infrastructureRetries()));
    }

    @Test
    void podsDeletedWhenThePlatformCancelsAreNoInfrastructureKill() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.FAILED, "Failed", Interruption.CANCELLED),
                List.of(run("a", FAILED, POD_DELETED, 0, 60)),
                at(200));
        assertAll(
                () -> assertEquals(CANCELLED, verdict.reason()),
                () -> assertEquals(FailureReason.CANCELLED.cause(), verdict.cause()),
                () -> assertFalse(verdict.contradiction()),
                () -> assertEquals(
                        "cancelled; Argo reported Failed: Stopped with strategy 'Terminate'", verdict.message()));
    }

    @Test
    void aNodeShutdownInACancelledWorkflowIsStillAnInfrastructureKill() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.FAILED, "Failed", Interruption.CANCELLED),
                List.of(run("a", FAILED, NODE_SHUTDOWN, 0, 50), run("b", FAILED, POD_DELETED, 0, 60)),
                at(200));
        assertEquals(NODE_SHUTDOWN, verdict.reason());
    }

    @Test
    void surplusPodsDeletedOnceAJobsCompletionsAreReachedFailNothing() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.SUCCEEDED, "Complete", Interruption.COMPLETIONS_REACHED),
                List.of(run("a", SUCCEEDED, null, 0, 60), run("b", FAILED, POD_DELETED, 0, 61)),
                at(200));
        assertEquals(SUCCEEDED, verdict.status());
    }

    @Test
    void aTimedOutWorkflowIsDeadlineExceeded() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.FAILED, "Failed", Interruption.TIMED_OUT),
                List.of(run("a", FAILED, FailureReason.DEADLINE_EXCEEDED, 0, 60)),
                at(200));
        assertEquals(FailureReason.DEADLINE_EXCEEDED, verdict.reason());
    }

    // ------------------------------------------------------------------ rule 4: workload failures follow the platform

    @Test
    void aWorkloadFailureThePlatformLetPassFailsNothing() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(
                        PlatformOutcome.SUCCEEDED,
                        "Succeeded",
                        Map.of("node-a", new StepRecord("Failed", false, true))),
                List.of(run("a", FAILED, EXIT_CODE, 0, 60)),
                at(200));
        assertEquals(SUCCEEDED, verdict.status());
    }

    @Test
    void aWorkloadFailureOfAnAttemptThePlatformCountedASuccessIsAContradiction() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(
                        PlatformOutcome.SUCCEEDED,
                        "Succeeded",
                        Map.of("node-a", new StepRecord("Succeeded", true, true))),
                List.of(run("a", FAILED, OOM_KILLED, 0, 60)),
                at(200));
        assertAll(() -> assertEquals(OOM_KILLED, verdict.reason()), () -> assertTrue(verdict.contradiction()));
    }

    // ------------------------------------------------------------------ rule 5: the platform's failure

    @Test
    void aPlatformFailureIsExplainedByARunItDidNotLetPass() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(
                        PlatformOutcome.FAILED,
                        "Failed",
                        Map.of(
                                "node-a", new StepRecord("Failed", false, true),
                                "node-b", new StepRecord("Failed", false, false))),
                List.of(run("a", FAILED, EXIT_CODE, 0, 30), run("b", FAILED, OOM_KILLED, 0, 60)),
                at(200));
        assertAll(
                () -> assertEquals(OOM_KILLED, verdict.reason(), "a let pass, though it finished first"),
                () -> assertEquals("b", verdict.explainedBy()),
                () -> assertFalse(verdict.contradiction()));
    }

    @Test
    void aPlatformFailureNoRunExplainsTakesThePlatformsWord() {
        WorkflowVerdict verdict = JUDGE.judge(
                finished(PlatformOutcome.FAILED, "Error"), List.of(run("a", SUCCEEDED, null, 0, 60)), at(200));
        assertAll(
                () -> assertEquals(PLATFORM_FAILED, verdict.reason()),
                () -> assertEquals("Error", verdict.platformStatus()),
                () -> assertTrue(verdict.message().contains("Argo reported Error"), verdict.message()));
        assertEquals(
                PLATFORM_FAILED,
                JUDGE.judge(finished(PlatformOutcome.FAILED, "Error"), List.of(), at(0))
                        .reason());
    }

    // ------------------------------------------------------------------ several runs: the first to finish

    @Test
    void theRunThatFinishedFirstExplainsAFailureAndOnATieAnInfrastructureKill() {
        WorkflowObject failed = finished(PlatformOutcome.FAILED, "Failed");
        assertEquals(
                EXIT_CODE,
                JUDGE.judge(
                                failed,
                                List.of(run("a", FAILED, NODE_SHUTDOWN, 0, 61), run("b", FAILED, EXIT_CODE, 0, 60)),
                                at(200))
                        .reason());
        assertEquals(
                NODE_SHUTDOWN,
                JUDGE.judge(
                                failed,
                                List.of(run("b", FAILED, EXIT_CODE, 0, 60), run("a", FAILED, NODE_SHUTDOWN, 0, 60)),
                                at(200))
                        .reason());
    }

    // ------------------------------------------------------------------ the verdict's own invariants

    @Test
    void onlyAFailedVerdictHasAReasonOrContradictsThePlatform() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new WorkflowVerdict(SUCCEEDED, EXIT_CODE, null, null, false, 0, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new WorkflowVerdict(SUCCEEDED, null, null, "Succeeded", true, 0, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new WorkflowVerdict(FAILED, null, null, null, false, 0, null, null));
    }

    @Test
    void aFinishedObjectHasAnOutcomeAndOnlyAFinishedOne() {
        assertThrows(
                IllegalArgumentException.class,
                () -> object(PlatformOutcome.RUNNING, "Running", true, Interruption.NONE, Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> object(PlatformOutcome.SUCCEEDED, "Succeeded", false, Interruption.NONE, Map.of()));
    }

    // ------------------------------------------------------------------ helpers

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A run that is the only attempt of a step of its own, {@code step-<uid>}, whose Argo node is {@code node-<uid>}. */
    private static WorkflowRun run(String uid, RunStatus status, FailureReason reason, long created, Integer finished) {
        return new WorkflowRun(
                uid,
                "pod-" + uid,
                new Step("step-" + uid, "step-" + uid, 0, "node-" + uid),
                status,
                reason,
                at(created),
                finished == null ? null : at(finished));
    }

    private static WorkflowRun attempt(
            String uid, String step, int attempt, RunStatus status, FailureReason reason, long created, long finished) {
        return new WorkflowRun(
                uid,
                "pod-" + uid,
                new Step(step, step, attempt, "node-" + uid),
                status,
                reason,
                at(created),
                at(finished));
    }

    private static WorkflowObject running() {
        return object(PlatformOutcome.RUNNING, "Running", false, Interruption.NONE, Map.of());
    }

    private static WorkflowObject finished(PlatformOutcome outcome, String status) {
        return object(outcome, status, true, Interruption.NONE, Map.of());
    }

    private static WorkflowObject finished(PlatformOutcome outcome, String status, Interruption interruption) {
        return object(outcome, status, true, interruption, Map.of());
    }

    private static WorkflowObject finished(PlatformOutcome outcome, String status, Map<String, StepRecord> steps) {
        return object(outcome, status, true, Interruption.NONE, steps);
    }

    private static WorkflowObject object(
            PlatformOutcome outcome,
            String status,
            boolean finished,
            Interruption interruption,
            Map<String, StepRecord> steps) {
        return new WorkflowObject(
                Platform.ARGO,
                WorkflowKind.WORKFLOW,
                "wf-uid",
                "argo",
                "payments-ci-x7k2p",
                "payments-ci",
                status,
                outcome,
                finished,
                interruption,
                at(0),
                finished ? at(150) : null,
                interruption == Interruption.CANCELLED ? "Stopped with strategy 'Terminate'" : null,
                steps);
    }
}
