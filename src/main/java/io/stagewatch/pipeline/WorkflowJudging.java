package io.stagewatch.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.store.WorkflowRepository;
import io.stagewatch.workflow.Workflow;
import io.stagewatch.workflow.WorkflowJudge;
import io.stagewatch.workflow.WorkflowObject;
import io.stagewatch.workflow.WorkflowRun;
import io.stagewatch.workflow.WorkflowVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Judges each workflow again ({@link WorkflowJudge}) when one of its runs was recorded, when its platform's object
 * changed or went away, and when a verdict that was not final becomes due (a settle or stuck-after time), and records
 * a changed verdict as one compare-and-set with its transition. The workflows of this instance's cluster only, as the
 * reconcile loop judges its runs; every open one is judged again at each reconcile interval, so nothing waits on
 * memory lost in a restart.
 */
@ApplicationScoped
public class WorkflowJudging {

    private static final Logger LOG = Logger.getLogger(WorkflowJudging.class);
    private static final int MAX_LOST_RACES = 10;

    private final WorkflowRepository workflows;
    private final WorkflowJudge judge;
    private final Duration settle;
    private final Set<String> clusters;
    /** The platforms' objects, slim, by UID: absent when gone, not seen yet, or never readable. */
    private final Map<String, WorkflowObject> objects = new ConcurrentHashMap<>();
    /** When each open verdict becomes final without anything else happening, by workflow UID. */
    private final Map<String, Instant> due = new ConcurrentHashMap<>();

    private final OncePerKey warned = new OncePerKey();
    private final Counter failures;

    public WorkflowJudging(WorkflowRepository workflows, StagewatchConfig config, MeterRegistry registry) {
        this.workflows = workflows;
        this.settle = config.workflows().settle();
        this.judge = new WorkflowJudge(settle, config.workflows().stuckAfter());
        this.clusters = Set.of(config.cluster().name());
        this.failures = Counter.builder("stagewatch.workflows.judge.failures")
                .description("Workflow verdicts that could not be recorded; the next pass judges them again")
                .register(registry);
    }

    /** A run judged without its pod (gone, never started) was recorded: its workflow, if any, is judged again. */
    void runJudged(String runUid) {
        workflows
                .ofRun(runUid)
                .flatMap(uid -> uid == null ? Uni.createFrom().voidItem() : judge(uid, Source.RECONCILE, 0))
                .onFailure()
                .recoverWithItem(failure -> failed(runUid, failure))
                .subscribe()
                .with(ignored -> {});
    }

    /** A run of a workflow was recorded with its pod at hand: records the workflow when it is new, and judges it. */
    void runRecorded(WorkflowLink link, RunAttributes run, Source source) {
        workflows
                .insert(link, run, run.names().pipeline(), source)
                .flatMap(ignored -> judge(link.uid(), source, 0))
                .onFailure()
                .recoverWithItem(failure -> failed(link.uid(), failure))
                .subscribe()
                .with(ignored -> {});
    }

    /** The platform's object of a workflow was read or changed. */
    public void objectChanged(WorkflowObject object) {
        objects.put(object.uid(), object);
        judgeLater(object.uid(), Source.WATCH);
    }

    /** The platform's object of a workflow is gone: it is judged from its pods from now on. */
    public void objectGone(String uid) {
        objects.remove(uid);
        judgeLater(uid, Source.WATCH);
    }

    /** Judges the verdicts that became due: a settle or stuck-after time passed. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> judgeDue() {
        Instant now = Instant.now();
        return judgeAll(due.entrySet().stream()
                .filter(entry -> !entry.getValue().isAfter(now))
                .map(Map.Entry::getKey)
                .toList());
    }

    /** Judges every open workflow of this cluster again: what is due after a restart, and an object missed. */
    @Scheduled(every = "{stagewatch.reconcile.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> judgeOpen() {
        return workflows.open(clusters).flatMap(this::judgeAll).onFailure().recoverWithNull();
    }

    private Uni<Void> judgeAll(Iterable<String> uids) {
        return Multi.createFrom()
                .iterable(uids)
                .onItem()
                .transformToUniAndConcatenate(uid ->
                        judge(uid, Source.RECONCILE, 0).onFailure().recoverWithItem(failure -> failed(uid, failure)))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private void judgeLater(String uid, Source source) {
        judge(uid, source, 0)
                .onFailure()
                .recoverWithItem(failure -> failed(uid, failure))
                .subscribe()
                .with(ignored -> {});
    }

    /** Judges the workflow, if recorded and not final, and records a changed verdict; again after a lost race. */
    private Uni<Void> judge(String uid, Source source, int lostRaces) {
        return workflows.find(uid).flatMap(found -> {
            if (found == null || found.workflow().status().isTerminal()) {
                due.remove(uid);
                if (found != null) {
                    objects.remove(uid);
                }
                return Uni.createFrom().voidItem();
            }
            return workflows.runs(uid).flatMap(runs -> {
                Instant now = Instant.now();
                WorkflowObject object = objects.get(uid);
                WorkflowVerdict verdict = judge.judge(object, runs, now);
                Instant quiet = quietAt(runs);
                if (verdict.isFinal() && now.isBefore(quiet)) {
                    due.put(uid, quiet);
                    return Uni.createFrom().voidItem();
                }
                if (verdict.decideAgainAt() == null) {
                    due.remove(uid);
                } else {
                    due.put(uid, verdict.decideAgainAt());
                }
                if (same(found.workflow(), verdict)) {
                    return Uni.createFrom().voidItem();
                }
                Instant started = verdict.status() == RunStatus.PENDING
                        ? null
                        : object != null && object.startedAt() != null ? object.startedAt() : now;
                Instant finished = !verdict.isFinal()
                        ? null
                        : object != null && object.finishedAt() != null ? object.finishedAt() : now;
                return workflows
                        .update(found, verdict, started, finished, source)
                        .flatMap(written -> written || lostRaces >= MAX_LOST_RACES
                                ? Uni.createFrom().voidItem()
                                : judge(uid, source, lostRaces + 1));
            });
        });
    }

    /**
     * When a final verdict may be recorded: {@code settle} after the last of the workflow's runs was first seen. The
     * pods of a workflow are seen one by one, in any order after a restart (the informer's LIST), and its object may
     * say it finished before stagewatch saw them all: a verdict taken then would miss the runs still to come.
     */
    private Instant quietAt(List<WorkflowRun> runs) {
        return runs.stream()
                .map(WorkflowRun::createdAt)
                .max(Comparator.naturalOrder())
                .map(last -> last.plus(settle))
                .orElse(Instant.MIN);
    }

    /** Whether the recorded workflow already says what the verdict says. */
    private static boolean same(Workflow recorded, WorkflowVerdict verdict) {
        return recorded.status() == verdict.status()
                && recorded.reason() == verdict.reason()
                && Objects.equals(recorded.message(), verdict.message())
                && Objects.equals(recorded.platformStatus(), verdict.platformStatus())
                && recorded.contradiction() == verdict.contradiction()
                && recorded.infrastructureRetries() == verdict.infrastructureRetries();
    }

    /** Counts a verdict not recorded, logs it once per workflow and kind of failure; a later pass judges it again. */
    private Void failed(String uid, Throwable failure) {
        failures.increment();
        if (warned.first(uid + "/" + failure.getClass().getName())) {
            LOG.warnf("Could not judge workflow %s (%s); judged again at the next pass", uid, failure.getMessage());
        }
        return null;
    }
}
