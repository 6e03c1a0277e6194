package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.run.FeedEvent;
import io.stagewatch.run.FeedItem;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.workflow.WorkflowFeedEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The feed's reads: the runs' and the workflows' transitions, which share one table, in feed order, each with what it
 * belongs to. One statement a read, which every transition committed anywhere wakes (FeedBroadcaster).
 */
@ApplicationScoped
public class FeedReader {

    /**
     * Transitions after position ($1, $2), up to ($3, $4), with their run's columns ({@link Rows#RUN}) or their
     * workflow's (prefixed {@code w_}), written by transactions older than every transaction still running: no row can
     * still appear before the last one read. Filtered by the {@link Filters} in {@code %1$s}, the limit's parameter
     * number in {@code %2$s}. The transition's cause, reason and message are prefixed {@code t_} ({@link
     * Rows#transition}).
     */
    private static final String FEED = """
            SELECT t.xid, t.id, t.run_uid, t.from_status, t.to_status, t.cause AS t_cause, t.reason AS t_reason,
                   t.message AS t_message, t.source, t.at, %3$s, %4$s
            FROM transitions t
                 LEFT JOIN runs r ON r.uid = t.run_uid
                 LEFT JOIN workflows w ON w.uid = t.workflow_uid
            WHERE (t.xid, t.id) > ($1, $2) AND (t.xid, t.id) <= ($3, $4)
              AND t.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint%1$s
            ORDER BY t.xid, t.id
            LIMIT $%2$d""";

    /** The workflow's columns, named {@code w_} and the column's name. */
    private static final String WORKFLOW = Arrays.stream(WorkflowRepository.WORKFLOW.split(","))
            .map(String::trim)
            .map(column -> column + " AS w_" + column.substring("w.".length()))
            .collect(Collectors.joining(", "));

    private final Pool pool;

    public FeedReader(Pool pool) {
        this.pool = pool;
    }

    /** Transitions after {@code after}, up to {@code upTo}, visible to every reader, at most {@code limit}. */
    public Uni<List<FeedItem>> feed(FeedPosition after, FeedPosition upTo, FeedFilter filter, int limit) {
        Tuple values = Tuple.of(after.xid(), after.id(), upTo.xid(), upTo.id());
        Filters filters = new Filters(values)
                .equal("COALESCE(r.stage, w.stage)", Rows.name(filter.stage()))
                .equal("COALESCE(r.pipeline, w.pipeline)", filter.pipeline())
                .equal("COALESCE(r.namespace, w.namespace)", filter.namespace())
                .equal("t.to_status", Rows.name(filter.status()))
                .equal("COALESCE(r.cluster, w.cluster)", filter.cluster());
        String sql = FEED.formatted(filters.conditions(), filters.next(), Rows.RUN, WORKFLOW);
        return pool.preparedQuery(sql).execute(values.addInteger(limit)).map(rows -> Rows.list(rows, FeedReader::item));
    }

    private static FeedItem item(Row row) {
        FeedPosition position = RunRepository.feedPosition(row);
        return row.getString("run_uid") != null
                ? new FeedEvent(Rows.transition(row), Rows.run(row), position)
                : new WorkflowFeedEvent(Rows.transition(row), WorkflowRepository.workflow(row, "w_"), position);
    }
}
