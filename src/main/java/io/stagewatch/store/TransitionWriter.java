package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Commits transition statements, batching them when the database is busy: up to {@code stagewatch.pipeline.writers}
 * transactions are in flight; statements that arrive meanwhile wait and go together in the next one, pipelined on
 * one connection, with one commit. Under light load every statement is its own transaction, at once. Each statement
 * keeps its own outcome: a compare-and-set that matches no row is a result, not a failure; if one statement fails,
 * the batch is rolled back and its statements are run again one by one, so that only the failing one fails.
 */
@ApplicationScoped
public class TransitionWriter {

    private record Write(String sql, Tuple values, long version, CompletableFuture<Committed> result) {}

    private final Pool pool;
    private final int maxInFlight;
    private final int maxBatch;
    private final Queue<Write> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final StoreMetrics metrics;
    /**
     * True while this thread completes the writes of a finished transaction. Their continuations decide on the next
     * observations of their lanes at once, on this thread, and write again: those writes wait for the finished
     * transaction's flush and go together, instead of each taking a free writer as a transaction of one.
     */
    private final ThreadLocal<Boolean> completing = ThreadLocal.withInitial(() -> false);

    public TransitionWriter(Pool pool, StagewatchConfig config, StoreMetrics metrics) {
        this.pool = pool;
        this.maxInFlight = config.pipeline().writers();
        this.maxBatch = config.pipeline().batchSize();
        this.metrics = metrics;
    }

    /**
     * Runs a statement that returns a row when it recorded a transition, and none when its compare-and-set found the
     * run changed.
     *
     * @param version the run's version if the statement commits
     * @return the commit, or null when the compare-and-set lost
     */
    Uni<Committed> write(String sql, Tuple values, long version) {
        return Uni.createFrom().completionStage(() -> {
            Write write = new Write(sql, values, version, new CompletableFuture<>());
            waiting.add(write);
            if (!completing.get()) {
                flush();
            }
            return write.result();
        });
    }

    private void flush() {
        while (!waiting.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Write> batch = new ArrayList<>();
            Write next;
            while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                return;
            }
            metrics.batchCommitted(batch.size());
            execute(batch).subscribe().with(ignored -> done(), failure -> done());
        }
    }

    private void done() {
        inFlight.decrementAndGet();
        flush();
    }

    private Uni<Void> execute(List<Write> batch) {
        if (batch.size() == 1) {
            return alone(batch.get(0));
        }
        return pool.withTransaction(connection -> Uni.join()
                        .all(batch.stream().map(write -> run(connection, write)).toList())
                        .andFailFast())
                .invoke(results -> completing(() -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result().complete(results.get(i));
                    }
                }))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> Uni.join()
                        .all(batch.stream().map(this::alone).toList())
                        .andCollectFailures()
                        .replaceWithVoid());
    }

    private Uni<Void> alone(Write write) {
        return pool.preparedQuery(write.sql())
                .execute(write.values())
                .map(rows -> committed(rows, write.version()))
                .invoke(committed -> completing(() -> write.result().complete(committed)))
                .onFailure()
                .invoke(failure -> completing(() -> write.result().completeExceptionally(failure)))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    /** Runs the completions with {@link #completing} set; the caller flushes afterwards ({@link #done}). */
    private void completing(Runnable completions) {
        completing.set(true);
        try {
            completions.run();
        } finally {
            completing.set(false);
        }
    }

    private static Uni<Committed> run(SqlConnection connection, Write write) {
        return connection
                .preparedQuery(write.sql())
                .execute(write.values())
                .map(rows -> committed(rows, write.version()));
    }

    private static Committed committed(RowSet<Row> rows, long version) {
        return rows.size() == 0 ? null : new Committed(version);
    }
}
