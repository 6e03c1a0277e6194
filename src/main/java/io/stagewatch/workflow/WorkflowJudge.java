package io.stagewatch.workflow;

import static io.stagewatch.run.FailureCause.INFRASTRUCTURE;
import static io.stagewatch.run.FailureCause.WORKLOAD;

import io.stagewatch.run.ClusterText;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A workflow's verdict from the platform's object (or none) and the truthful verdicts of its runs: the rules of
 * {@code docs/classification.md}, "Workflows", in order. Pure: the time is given.
 *
 * <ol>
 *   <li>PENDING until a run of it started, then RUNNING, until the verdict is final.
 *   <li>Final when the platform says the object finished and every run is terminal; without the object, once every
 *       run is terminal and no new run appeared for {@code settle}; with an object the platform never finishes, once
 *       every run has been terminal for {@code stuckAfter} (then FAILED, PLATFORM_STUCK, unless rule 3 names a run).
 *   <li>Never SUCCEEDED over an infrastructure kill that no later attempt of its step made good, whatever the platform
 *       says; pods the platform deleted on purpose (an {@link Interruption}) excepted.
 *   <li>Workload failures follow the platform: one it let pass ({@link StepRecord#absorbed()}, or any under a
 *       platform success but an attempt the platform itself counted a success) fails nothing.
 *   <li>A platform failure no run explains takes the platform's word: CANCELLED, DEADLINE_EXCEEDED or PLATFORM_FAILED.
 *   <li>Of several runs that explain a failure, the first to finish does; on a tie, INFRASTRUCTURE first.
 * </ol>
 */
public final class WorkflowJudge {

    /** The run that finished first; on a tie an infrastructure kill, then the older pod. */
    private static final Comparator<WorkflowRun> FIRST_TO_FINISH = Comparator.comparing(
                    WorkflowRun::finishedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(run -> run.cause() == INFRASTRUCTURE ? 0 : 1)
            .thenComparing(WorkflowRun::createdAt)
            .thenComparing(WorkflowRun::uid);

    private final Duration settle;
    private final Duration stuckAfter;

    /**
     * @param settle     how long a workflow without its object waits, every run terminal, for a new run
     * @param stuckAfter how long every run may have been terminal before a platform that never finishes is stuck
     */
    public WorkflowJudge(Duration settle, Duration stuckAfter) {
        this.settle = Objects.requireNonNull(settle, "settle");
        this.stuckAfter = Objects.requireNonNull(stuckAfter, "stuckAfter");
    }

    /**
     * @param workflow the platform's object; null when it is gone or was never readable (a missing CRD or RBAC)
     * @param runs     every run linked to the workflow
     * @param now      the time of the decision
     */
    public WorkflowVerdict judge(WorkflowObject workflow, List<WorkflowRun> runs, Instant now) {
        String platformStatus = workflow == null ? null : workflow.platformStatus();
        int retries = infrastructureRetries(runs);
        RunStatus status = runs.stream().anyMatch(run -> run.status() != RunStatus.PENDING)
                ? RunStatus.RUNNING
                : RunStatus.PENDING;
        if (runs.stream().anyMatch(run -> !run.status().isTerminal())) {
            return open(status, platformStatus, retries, null);
        }
        if (workflow != null && workflow.finished()) {
            return decide(workflow, runs, retries);
        }
        if (runs.isEmpty()) {
            return open(status, platformStatus, retries, null);
        }
        Instant due = lastActivity(runs).plus(workflow == null ? settle : stuckAfter);
        if (now.isBefore(due)) {
            return open(status, platformStatus, retries, due);
        }
        return workflow == null ? decide(null, runs, retries) : stuck(workflow, runs, retries);
    }

    private static WorkflowVerdict decide(WorkflowObject workflow, List<WorkflowRun> runs, int retries) {
        Interruption interruption = workflow == null ? Interruption.NONE : workflow.interruption();
        boolean onPurpose = interruption == Interruption.CANCELLED || interruption == Interruption.TIMED_OUT;
        Stream<WorkflowRun> workload = onPurpose
                ? Stream.empty()
                : runs.stream()
                        .filter(run -> run.failedBy(WORKLOAD))
                        .filter(run -> !madeGood(run, runs))
                        .filter(run -> !letPass(run, workflow));
        Optional<WorkflowRun> explaining =
                Stream.concat(infrastructureKills(runs, interruption), workload).min(FIRST_TO_FINISH);
        if (explaining.isPresent()) {
            return failedBy(explaining.get(), workflow, retries);
        }
        return switch (interruption) {
            case CANCELLED -> failedByPlatform(FailureReason.CANCELLED, workflow, retries);
            case TIMED_OUT -> failedByPlatform(FailureReason.DEADLINE_EXCEEDED, workflow, retries);
            default ->
                workflow != null && workflow.outcome() == PlatformOutcome.FAILED
                        ? failedByPlatform(FailureReason.PLATFORM_FAILED, workflow, retries)
                        : new WorkflowVerdict(
                                RunStatus.SUCCEEDED, null, null, platformStatus(workflow), false, retries, null, null);
        };
    }

    private static WorkflowVerdict stuck(WorkflowObject workflow, List<WorkflowRun> runs, int retries) {
        Optional<WorkflowRun> killed =
                infrastructureKills(runs, workflow.interruption()).min(FIRST_TO_FINISH);
        if (killed.isPresent()) {
            return failedBy(killed.get(), workflow, retries);
        }
        return platformFailure(
                FailureReason.PLATFORM_STUCK,
                "every step ended by " + lastActivity(runs) + ", but "
                        + workflow.kind().controller()
                        + " never finished the " + workflow.kind().kind()
                        + (workflow.platformStatus() == null ? "" : " (still " + workflow.platformStatus() + ")"),
                workflow,
                retries);
    }

    /** Runs killed by the infrastructure that no later attempt made good, but for the pods deleted on purpose. */
    private static Stream<WorkflowRun> infrastructureKills(List<WorkflowRun> runs, Interruption interruption) {
        return runs.stream()
                .filter(run -> run.failedBy(INFRASTRUCTURE))
                .filter(run -> !madeGood(run, runs))
                .filter(run -> !(interruption.deletesPods() && deletedOnPurpose(run.reason())));
    }

    /** The reasons of a pod that was deleted, which a platform does on purpose when it interrupts a workflow. */
    private static boolean deletedOnPurpose(FailureReason reason) {
        return reason == FailureReason.POD_DELETED || reason == FailureReason.POD_VANISHED;
    }

    /** Whether a later attempt of the run's step succeeded. */
    private static boolean madeGood(WorkflowRun run, List<WorkflowRun> runs) {
        return runs.stream().anyMatch(other -> other.status() == RunStatus.SUCCEEDED && run.isFollowedBy(other));
    }

    /**
     * Whether the platform let the run's workload failure pass on purpose. Under a platform success, yes unless the
     * platform counted that very attempt a success (then it never saw the failure); under a platform failure, only
     * when its record of the attempt says so. Without the object, never: the pods alone cannot tell.
     */
    private static boolean letPass(WorkflowRun run, WorkflowObject workflow) {
        if (workflow == null) {
            return false;
        }
        StepRecord record = run.step().platformKey() == null
                ? null
                : workflow.steps().get(run.step().platformKey());
        if (workflow.outcome() == PlatformOutcome.SUCCEEDED) {
            return record == null || !record.succeeded();
        }
        return record != null && record.absorbed();
    }

    static int infrastructureRetries(List<WorkflowRun> runs) {
        return (int) runs.stream()
                .filter(run -> run.failedBy(INFRASTRUCTURE))
                .filter(run -> runs.stream().anyMatch(run::isFollowedBy))
                .count();
    }

    private static WorkflowVerdict failedBy(WorkflowRun run, WorkflowObject workflow, int retries) {
        boolean contradiction = workflow != null && workflow.outcome() == PlatformOutcome.SUCCEEDED;
        String message = "step " + run.step().name() + ": " + run.reason().words()
                + (contradiction ? "; " + reported(workflow) : "");
        return new WorkflowVerdict(
                RunStatus.FAILED,
                run.reason(),
                ClusterText.message(message),
                platformStatus(workflow),
                contradiction,
                retries,
                run.uid(),
                null);
    }

    private static WorkflowVerdict failedByPlatform(FailureReason reason, WorkflowObject workflow, int retries) {
        return platformFailure(
                reason,
                reason.words() + "; " + reported(workflow)
                        + (workflow.message() == null ? "" : ": " + workflow.message()),
                workflow,
                retries);
    }

    /** A failure no run explains: the platform's. */
    private static WorkflowVerdict platformFailure(
            FailureReason reason, String message, WorkflowObject workflow, int retries) {
        return new WorkflowVerdict(
                RunStatus.FAILED,
                reason,
                ClusterText.message(message),
                workflow.platformStatus(),
                false,
                retries,
                null,
                null);
    }

    /** A verdict that is not final yet. */
    private static WorkflowVerdict open(RunStatus status, String platformStatus, int retries, Instant decideAgainAt) {
        return new WorkflowVerdict(status, null, null, platformStatus, false, retries, null, decideAgainAt);
    }

    /** "Argo reported Succeeded". */
    private static String reported(WorkflowObject workflow) {
        return workflow.kind().controller() + " reported " + workflow.platformStatus();
    }

    private static String platformStatus(WorkflowObject workflow) {
        return workflow == null ? null : workflow.platformStatus();
    }

    /** The last time a run appeared or ended. */
    private static Instant lastActivity(List<WorkflowRun> runs) {
        return runs.stream()
                .flatMap(run -> Stream.of(run.createdAt(), run.finishedAt()))
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElseThrow();
    }
}
