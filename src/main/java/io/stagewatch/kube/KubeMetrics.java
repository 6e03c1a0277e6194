package io.stagewatch.kube;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.stagewatch.run.NodeLoss;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** The meters of the informers, the reconcile loop, retention, the finalizer and the nodes. No tag names a pod. */
@ApplicationScoped
@Startup // every series at 0 from the start, so that an alert on increase(...) sees the first event too
public class KubeMetrics {

    private final MeterRegistry registry;
    private final Counter informerRestarts;
    private final Timer reconcileDuration;
    private final Counter reconcileFailures;
    private final Counter reconcileUnchanged;
    private final Counter vanished;
    private final Counter startTimedOut;
    private final Counter retentionDeleted;
    private final Map<FinalizerDecision.Forced, Counter> forced = new EnumMap<>(FinalizerDecision.Forced.class);
    private final Map<NodeLoss.Rule, Counter> nodeLost = new EnumMap<>(NodeLoss.Rule.class);
    private final Counter nodesForbidden;

    public KubeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.informerRestarts = Counter.builder("stagewatch.informer.restarts")
                .description("Restarts of the pod informers by the watchdog: stopped, or not watching and not listing")
                .register(registry);
        this.reconcileDuration = Timer.builder("stagewatch.reconcile.duration")
                .description("One reconcile pass")
                .register(registry);
        this.vanished = Counter.builder("stagewatch.runs.vanished")
                .description("Unfinished runs whose pod was gone")
                .register(registry);
        this.startTimedOut = Counter.builder("stagewatch.runs.start.timeout")
                .description("Runs that never started")
                .register(registry);
        this.reconcileFailures = Counter.builder("stagewatch.reconcile.failures")
                .description("Reconcile passes that failed")
                .register(registry);
        this.reconcileUnchanged = Counter.builder("stagewatch.reconcile.unchanged")
                .description(
                        "Pods a reconcile pass listed in the version already decided on, and did not publish again")
                .register(registry);
        this.retentionDeleted = Counter.builder("stagewatch.retention.deleted")
                .description(
                        "Finished runs deleted, with their transitions and notifications, for being older than the "
                                + "retention")
                .register(registry);
        for (NodeLoss.Rule rule : NodeLoss.Rule.values()) {
            nodeLost.put(
                    rule,
                    Counter.builder("stagewatch.nodes.lost")
                            .description("NODE_LOST verdicts this instance published, by the rule that found the node"
                                    + " lost: taint (outlasted the pod's toleration), out-of-service, deleted")
                            .tag("rule", rule.tag())
                            .register(registry));
        }
        this.nodesForbidden = Counter.builder("stagewatch.nodes.forbidden")
                .description("Node watches refused for want of the cluster-scoped right (get, list, watch on nodes):"
                        + " runs on lost nodes are neither flagged nor failed")
                .register(registry);
        for (FinalizerDecision.Forced why : FinalizerDecision.Forced.values()) {
            forced.put(
                    why,
                    Counter.builder("stagewatch.finalizer.forced")
                            .description("Pods released from the finalizer without a recorded outcome, by why")
                            .tag("why", why.tag())
                            .register(registry));
        }
    }

    /** The gauge of the informers' watch, read from {@code watching} at every scrape. */
    void informerWatching(BooleanSupplier watching) {
        Gauge.builder("stagewatch.informer.watching", watching, open -> open.getAsBoolean() ? 1 : 0)
                .description("1 while the pod informer's watch is open, else 0")
                .strongReference(true)
                .register(registry);
    }

    /** The gauge of the runs at risk, read from {@code atRisk} at every scrape. */
    void runsAtRisk(IntSupplier atRisk) {
        Gauge.builder("stagewatch.runs.at.risk", atRisk, IntSupplier::getAsInt)
                .description("Unfinished runs this instance found at risk: their node is not Ready, tainted or deleted."
                        + " Every replica counts the same runs: alert on the maximum, not the sum")
                .strongReference(true)
                .register(registry);
    }

    void nodeLost(NodeLoss.Rule rule) {
        nodeLost.get(rule).increment();
    }

    /**
     * @param kind the object's kind
     * @param code {@code 404} (no CRD), {@code 403} (no right) or {@code other}
     */
    void workflowsUnwatched(String kind, String code) {
        Counter.builder("stagewatch.workflows.unwatched")
                .description("Watches of workflow objects that could not start, by kind and why (404: the CRD is"
                        + " missing, 403: no right): those workflows are judged from their pods alone")
                .tags("kind", kind, "code", code)
                .register(registry)
                .increment();
    }

    /** A workflow object that lacks what a verdict needs, skipped; {@code problem} is a short fixed name. */
    void workflowInvalid(String problem) {
        Counter.builder("stagewatch.workflows.invalid")
                .description("Workflow objects skipped because they lack what a verdict needs, by problem")
                .tag("problem", problem)
                .register(registry)
                .increment();
    }

    void nodesForbidden() {
        nodesForbidden.increment();
    }

    void informerRestarted() {
        informerRestarts.increment();
    }

    void reconciled(Duration took) {
        reconcileDuration.record(took);
    }

    void reconcileFailed() {
        reconcileFailures.increment();
    }

    /** A listed pod in the version already decided on, not published again. */
    void unchanged() {
        reconcileUnchanged.increment();
    }

    void runVanished() {
        vanished.increment();
    }

    void runStartTimedOut() {
        startTimedOut.increment();
    }

    void retentionDeleted(int runs) {
        retentionDeleted.increment(runs);
    }

    void finalizerForced(FinalizerDecision.Forced why) {
        forced.get(why).increment();
    }

    /**
     * @param action {@code add} or {@code remove}
     * @param result {@code done} or {@code failed}
     */
    void finalizerPatched(String action, String result) {
        Counter.builder("stagewatch.finalizer.patches")
                .description("Finalizer patches of pods, by action and result")
                .tags("action", action, "result", result)
                .register(registry)
                .increment();
    }
}
