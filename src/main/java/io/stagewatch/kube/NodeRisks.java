package io.stagewatch.kube;

import io.smallrye.mutiny.Uni;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.NodeLoss;
import io.stagewatch.store.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Where the node watches of every cluster ({@link NodeWatch}) carry out what they found: a run's risk written with the
 * run (no transition), a NODE_LOST verdict handed to the pipeline like any other, which records it with one
 * compare-and-set however many replicas found it.
 */
@ApplicationScoped
public class NodeRisks {

    private final RunRepository runs;
    private final ObservationBus bus;
    private final KubeMetrics metrics;

    public NodeRisks(RunRepository runs, ObservationBus bus, KubeMetrics metrics) {
        this.runs = runs;
        this.bus = bus;
        this.metrics = metrics;
    }

    /** Records why the run is at risk, or that it no longer is (null). */
    Uni<Boolean> flag(String uid, String node, String atRisk) {
        return runs.markAtRisk(uid, node, atRisk);
    }

    /** The runs at risk as stored, by uid. */
    Uni<Map<String, String>> flagged() {
        return runs.atRisk();
    }

    /**
     * Hands the run's NODE_LOST verdict to the pipeline.
     *
     * @param first false when this instance published it before: counted once
     * @return false when the bus was full: the next evaluation tries again
     */
    boolean lost(String uid, NodeLoss.Assessment assessment, boolean first) {
        boolean published = bus.publish(new Observation.RunJudged(uid, assessment.verdict()));
        if (published && first) {
            metrics.nodeLost(assessment.rule());
        }
        return published;
    }

    void forbidden() {
        metrics.nodesForbidden();
    }
}
