package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.run.FeedItem;
import io.stagewatch.run.FeedPosition;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The feed's reads: the runs' and the workflows' transitions of one window, merged in feed order. Each read gives its
 * first {@code limit} in that order, so the first {@code limit} of the two together are exact. Both are bounded by one
 * horizon, read first: each read alone stops at the oldest transaction still running when it starts, and a later read
 * may see further, so a transition below the second read's horizon but above the first's would otherwise be passed.
 */
@ApplicationScoped
public class FeedReader {

    private final Pool pool;
    private final RunRepository runs;
    private final WorkflowRepository workflows;

    public FeedReader(Pool pool, RunRepository runs, WorkflowRepository workflows) {
        this.pool = pool;
        this.runs = runs;
        this.workflows = workflows;
    }

    /** Transitions after {@code after}, up to {@code upTo}, visible to every reader, at most {@code limit}. */
    public Uni<List<FeedItem>> feed(FeedPosition after, FeedPosition upTo, FeedFilter filter, int limit) {
        return horizon()
                .map(horizon -> horizon.compareTo(upTo) < 0 ? horizon : upTo)
                .flatMap(bound -> Uni.combine()
                        .all()
                        .unis(runs.feed(after, bound, filter, limit), workflows.feed(after, bound, filter, limit))
                        .with((ofRuns, ofWorkflows) -> {
                            List<FeedItem> merged = new ArrayList<>(ofRuns.size() + ofWorkflows.size());
                            merged.addAll(ofRuns);
                            merged.addAll(ofWorkflows);
                            merged.sort(Comparator.comparing(FeedItem::position));
                            return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
                        }));
    }

    /** The last place below the oldest transaction still running: every transition up to it is committed. */
    private Uni<FeedPosition> horizon() {
        return pool.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin")
                .execute()
                .map(rows -> new FeedPosition(Rows.first(rows, row -> row.getLong("xmin")) - 1, Long.MAX_VALUE));
    }
}
