package io.stagewatch.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.run.Decision;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.PodClassifier;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunStateMachine;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.Committed;
import io.stagewatch.store.RunRepository;
import io.stagewatch.store.RunVersion;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The merged observation stream: classify each pod, decide with the state machine, persist the transition with a
 * compare-and-set. Observations of one run go through one lane, in order; lanes run in parallel.
 */
@ApplicationScoped
public class RunPipeline {

    private static final Logger LOG = Logger.getLogger(RunPipeline.class);
    private static final int MAX_LOST_RACES = 10;
    /** Attempts after the first for a failure that is not transient. */
    private static final int MAX_OTHER_RETRIES = 2;

    private final ObservationBus bus;
    private final RunRepository runs;
    private final PodReader reader;
    private final PipelineMetrics metrics;
    private final Event<RunRecorded> recordedEvents;
    private final int lanes;
    private final Duration maxBackoff;
    private final KnownRuns known;
    private final WorkflowJudging workflows;
    private final OncePerKey warned = new OncePerKey();
    private Cancellable subscription;
    private volatile boolean running;

    public RunPipeline(
            ObservationBus bus,
            RunRepository runs,
            PodReader reader,
            KnownRuns known,
            PipelineMetrics metrics,
            Event<RunRecorded> recordedEvents,
            WorkflowJudging workflows,
            StagewatchConfig config) {
        this.workflows = workflows;
        this.bus = bus;
        this.known = known;
        this.runs = runs;
        this.reader = reader;
        this.metrics = metrics;
        this.recordedEvents = recordedEvents;
        this.lanes = config.pipeline().lanes();
        this.maxBackoff = config.pipeline().maxRetryBackoff();
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** Subscribes to the bus; decisions start flowing. */
    public void start() {
        running = true;
        subscription = bus.keys()
                .group()
                .by(this::lane)
                .onItem()
                .transformToMulti(lane -> lane.onItem().transformToUniAndConcatenate(this::take))
                .merge(lanes)
                .onTermination()
                .invoke(() -> running = false)
                .subscribe()
                .with(ignored -> {}, failure -> LOG.error("The observation stream stopped; this is a bug", failure));
    }

    private int lane(String key) {
        return Math.floorMod(key.hashCode(), lanes);
    }

    /** Decides on the run's latest observation, taken only now: a newer one published meanwhile replaced the older. */
    private Uni<Void> take(String key) {
        Observation observation = bus.take(key);
        return observation == null ? Uni.createFrom().voidItem() : process(observation);
    }

    private Uni<Void> process(Observation observation) {
        metrics.observed(observation.source());
        Evidence evidence;
        try {
            evidence = evidence(observation);
        } catch (MalformedPodException e) {
            metrics.invalid(e.problem());
            if (warned.first(observation.uid() + "/" + e.problem())) {
                LOG.warnf("Skipping pod %s: %s", describe(observation), e.getMessage());
            }
            bus.decided();
            return Uni.createFrom().voidItem();
        } catch (RuntimeException e) {
            // a bug met by this one pod must not end the stream that every other pod goes through
            metrics.failed(e.getClass().getSimpleName());
            if (warned.first(observation.uid() + "/" + e.getClass().getName())) {
                LOG.warnf(e, "Skipping pod %s: could not decide on it", describe(observation));
            }
            bus.decided();
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom()
                .deferred(() -> apply(evidence, 0))
                .invoke(recorded -> announce(evidence, recorded))
                .onFailure()
                .invoke(metrics::retried)
                .onFailure(RunPipeline::isTransient)
                .retry()
                .withBackOff(Duration.ofMillis(100), maxBackoff)
                .indefinitely()
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(100), maxBackoff)
                .atMost(MAX_OTHER_RETRIES)
                .onFailure()
                .invoke(failure -> notRecorded(evidence, failure))
                .onFailure()
                .recoverWithNull()
                .eventually(() -> {
                    bus.decided();
                    if (evidence.last()) {
                        known.remove(evidence.uid());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Counts and logs a failure that is not transient once per run and reason (its SQL state, else its type): the run's
     * pod is observed again at every pass and would meet it again. Nothing about the run is remembered, so the first
     * later observation that can be recorded decides it.
     */
    private void notRecorded(Evidence evidence, Throwable failure) {
        String reason = failure instanceof PgException pg
                ? "SQLSTATE " + pg.getSqlState()
                : failure.getClass().getName();
        if (warned.first(evidence.uid() + "/" + reason)) {
            metrics.failed(failure.getClass().getSimpleName());
            LOG.errorf(
                    failure,
                    "Could not record an observation of run %s (%s); logged once for this run and reason",
                    evidence.uid(),
                    reason);
        }
    }

    /** Tells the edges the recorded status of a live pod's run (the status-capture finalizer holds or releases it). */
    private void announce(Evidence evidence, RunStatus recorded) {
        if (recorded != null && evidence.observation() instanceof Observation.PodSeen seen && !seen.deleted()) {
            recordedEvents.fire(new RunRecorded(seen.pod(), recorded));
        }
    }

    private Evidence evidence(Observation observation) {
        if (observation instanceof Observation.PodSeen seen) {
            PodReader.Reading reading = reader.read(seen.pod());
            RunAttributes attributes = reading.attributes();
            Verdict verdict = seen.deleted()
                    ? PodClassifier.classifyDeleted(seen.pod(), reading.rules())
                    : PodClassifier.classify(seen.pod(), reading.rules());
            return new Evidence(attributes.uid(), attributes, reading.workflow(), verdict, observation, seen.deleted());
        }
        Observation.RunJudged judged = (Observation.RunJudged) observation;
        return new Evidence(judged.uid(), null, null, judged.verdict(), observation, true);
    }

    /**
     * Decides on the evidence and records the decision. A run this instance does not know yet is inserted straight
     * away when the pod is at hand (the insert does nothing if the run exists), and read only when that fails.
     *
     * @return the run's recorded status afterwards, or null when there is no such run
     */
    private Uni<RunStatus> apply(Evidence evidence, int lostRaces) {
        KnownRun cached = known.get(evidence.uid());
        if (cached == null && evidence.attributes() != null && lostRaces == 0) {
            return commit(evidence, null, lostRaces);
        }
        Uni<KnownRun> current = cached != null
                ? Uni.createFrom().item(cached)
                : runs.findVersion(evidence.uid()).map(version -> version == null ? null : new KnownRun(version));
        return current.flatMap(run -> decide(evidence, run, lostRaces));
    }

    private Uni<RunStatus> decide(Evidence evidence, KnownRun run, int lostRaces) {
        Decision decision =
                RunStateMachine.decide(run == null ? null : run.version().status(), evidence.verdict());
        if (decision instanceof Decision.Transition) {
            return commit(evidence, run, lostRaces);
        }
        if (run == null) {
            return Uni.createFrom().nullItem();
        }
        if (waitsForANewReason(run, evidence.verdict())) {
            return recordWait(evidence, run);
        }
        KnownRun decided = run.withDecidedOn(evidence.resourceVersion());
        if (decision instanceof Decision.Rejected rejected && !run.rejected().contains(rejected.to())) {
            metrics.rejected(rejected.from(), rejected.to());
            LOG.warnf(
                    "Rejected %s -> %s for run %s (%s): a recorded status never changes or moves back",
                    rejected.from(),
                    rejected.to(),
                    evidence.uid(),
                    evidence.verdict().reason());
            decided = decided.withRejected(rejected.to());
        }
        known.put(evidence.uid(), decided);
        return Uni.createFrom().item(run.version().status());
    }

    /** A run still on its way, seen in the same status for a reason that differs from the recorded one. */
    private static boolean waitsForANewReason(KnownRun run, Verdict verdict) {
        RunVersion recorded = run.version();
        return !recorded.status().isTerminal()
                && verdict.status() == recorded.status()
                && !Objects.equals(verdict.message(), recorded.message());
    }

    /**
     * Shows why the run waits (ErrImagePull, Unschedulable, ...) in its message: no transition, no notification. A
     * lost compare-and-set forgets the cached run, so the next observation (the next pass at the latest) decides on a
     * fresh read.
     */
    private Uni<RunStatus> recordWait(Evidence evidence, KnownRun run) {
        RunVersion recorded = run.version();
        String message = evidence.verdict().message();
        return runs.updateMessage(evidence.uid(), recorded, message).map(version -> {
            if (version == null) {
                known.remove(evidence.uid());
            } else {
                known.put(
                        evidence.uid(),
                        new KnownRun(
                                new RunVersion(recorded.stage(), recorded.status(), version, message),
                                run.rejected(),
                                evidence.resourceVersion()));
            }
            return recorded.status();
        });
    }

    private Uni<RunStatus> commit(Evidence evidence, KnownRun run, int lostRaces) {
        Instant now = Instant.now();
        Verdict verdict = evidence.verdict();
        Uni<Committed> write;
        if (run == null) {
            if (evidence.attributes() == null) {
                return Uni.createFrom().nullItem();
            }
            write = runs.insert(
                    evidence.attributes(),
                    evidence.workflow(),
                    verdict,
                    evidence.observation().source(),
                    now);
        } else {
            write = runs.update(
                    evidence.uid(),
                    run.version(),
                    verdict,
                    evidence.attributes(),
                    evidence.observation().source(),
                    now);
        }
        return write.flatMap(committed -> {
            if (committed == null) {
                known.remove(evidence.uid());
                if (lostRaces >= MAX_LOST_RACES) {
                    return Uni.createFrom().failure(new IllegalStateException("lost " + lostRaces + " races in a row"));
                }
                return apply(evidence, lostRaces + 1);
            }
            var stage =
                    run == null ? evidence.attributes().stage() : run.version().stage();
            known.put(
                    evidence.uid(),
                    new KnownRun(new RunVersion(stage, verdict.status(), committed.version(), verdict.message()))
                            .withDecidedOn(evidence.resourceVersion()));
            judgeWorkflow(evidence);
            metrics.committed(
                    stage,
                    verdict.status(),
                    verdict.cause(),
                    verdict.reason(),
                    evidence.observation().receivedNanos());
            return Uni.createFrom().item(verdict.status());
        });
    }

    /** Hands a recorded run's workflow to be judged again, off the lane: the lane goes on with the next run. */
    private void judgeWorkflow(Evidence evidence) {
        if (evidence.workflow() != null) {
            workflows.runRecorded(
                    evidence.workflow(),
                    evidence.attributes(),
                    evidence.observation().source());
        } else if (evidence.attributes() == null) {
            workflows.runJudged(evidence.uid());
        }
    }

    /**
     * True for failures that pass when the database is back: connection loss, timeouts, and the SQL states of the
     * classes 08 (connection), 40 (rollback: serialization, deadlock), 53 (resources), 57 (operator intervention, such
     * as a shutdown). Anything else (a constraint, a bug) would fail the same way again: retried a few times only.
     */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof PgException pg) {
            String state = Objects.requireNonNullElse(pg.getSqlState(), "");
            return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57");
        }
        return failure instanceof IOException
                || failure instanceof VertxException
                || failure instanceof TimeoutException
                || failure instanceof NoStackTraceThrowable;
    }

    /** True while the merged stream is subscribed; false once it ended, which only a bug can cause. */
    public boolean isRunning() {
        return running;
    }

    private static String describe(Observation observation) {
        if (observation instanceof Observation.PodSeen seen && seen.pod().getMetadata() != null) {
            return seen.pod().getMetadata().getNamespace() + "/"
                    + seen.pod().getMetadata().getName();
        }
        return String.valueOf(observation.uid());
    }

    /**
     * @param attributes the pod's attributes; null when the run was judged without a pod
     * @param workflow   the workflow the run is a step of, as its pod says; null without one, or without the pod
     * @param last       true when no later observation of this run is expected
     */
    private record Evidence(
            String uid,
            RunAttributes attributes,
            WorkflowLink workflow,
            Verdict verdict,
            Observation observation,
            boolean last) {

        /** The version of the pod decided on; null when the run was judged without a pod. */
        String resourceVersion() {
            return attributes == null ? null : attributes.resourceVersion();
        }
    }
}
