package io.stagewatch.store;

import io.stagewatch.run.FeedItem;
import io.stagewatch.run.RiskChange;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import java.util.function.Predicate;

/** Optional filters of the status feed; null means "any". {@code status} is the status a transition moved to. */
public record FeedFilter(Stage stage, String pipeline, String namespace, RunStatus status, String cluster)
        implements Predicate<FeedItem> {

    @Override
    public boolean test(FeedItem event) {
        return (stage == null || stage == event.stage())
                && (pipeline == null || pipeline.equals(event.pipeline()))
                && (namespace == null || namespace.equals(event.namespace()))
                && (status == null || status == event.transition().to())
                && (cluster == null || cluster.equals(event.cluster()));
    }

    /** Whether a change of a run at risk passes, {@code status} read as the run's status. */
    public boolean test(RiskChange change) {
        return (stage == null || stage == change.stage())
                && (pipeline == null || pipeline.equals(change.pipeline()))
                && (namespace == null || namespace.equals(change.namespace()))
                && (status == null || status == change.status());
    }
}
