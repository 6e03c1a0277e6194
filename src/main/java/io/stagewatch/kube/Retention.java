package io.stagewatch.kube;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.store.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Deletes finished runs older than {@code stagewatch.retention.max-age}, with their transitions and notifications, a
 * small batch per reconcile interval, so that the tables do not grow for ever. Only runs whose pod was absent from the
 * last complete LIST: a pod that still exists would be recorded, and notified, again — the very bug stagewatch exists
 * to prevent. Before the first complete LIST nothing is deleted, and only the runs of the clusters that LIST covers.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final int BATCH = 500;

    private final RunRepository runs;
    private final ReconcileLoop reconcile;
    private final Duration maxAge;
    private final KubeMetrics metrics;

    public Retention(RunRepository runs, ReconcileLoop reconcile, StagewatchConfig config, KubeMetrics metrics) {
        this.runs = runs;
        this.reconcile = reconcile;
        this.maxAge = config.retention().maxAge();
        this.metrics = metrics;
    }

    @Scheduled(every = "{stagewatch.reconcile.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().onFailure()
                .invoke(failure -> LOG.warnf("Retention pass failed: %s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** One batch; returns how many runs it deleted. */
    Uni<Integer> purge() {
        Set<String> livePods = reconcile.lastListedPods();
        if (livePods == null) {
            return Uni.createFrom().item(0);
        }
        return runs.deleteFinished(Instant.now().minus(maxAge), livePods, reconcile.clusters(), BATCH)
                .invoke(metrics::retentionDeleted);
    }
}
