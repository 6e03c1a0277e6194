package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.run.FeedEpochs;
import io.stagewatch.run.FeedPosition;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** The feed's epochs (V12), which {@code afterMigrate.sql} begins at start after a logical restore. */
@ApplicationScoped
public class FeedEpochRepository {

    private final Pool pool;

    public FeedEpochRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<FeedEpochs> epochs() {
        return pool.query("SELECT epoch, shift, restored_xid, restored_id FROM feed_epochs ORDER BY epoch")
                .execute()
                .map(rows -> new FeedEpochs(Rows.list(
                        rows,
                        row -> new FeedEpochs.Epoch(
                                row.getInteger("epoch"),
                                row.getLong("shift"),
                                row.getLong("restored_xid") == null
                                        ? null
                                        : new FeedPosition(row.getLong("restored_xid"), row.getLong("restored_id"))))));
    }
}
