package io.stagewatch.pipeline;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.stagewatch.concurrent.SingleFlight;
import io.stagewatch.run.FeedEpochs;
import io.stagewatch.run.FeedItem;
import io.stagewatch.run.FeedPosition;
import io.stagewatch.store.DatabaseEvents;
import io.stagewatch.store.FeedEpochRepository;
import io.stagewatch.store.FeedFilter;
import io.stagewatch.store.FeedReader;
import io.stagewatch.store.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Publishes every committed transition, of any replica, once and in the order transitions become visible: woken by
 * NOTIFY at commit, polling as the backstop, it reads the transitions after the last one published, written by
 * transactions older than every transaction still running (see {@link FeedPosition}). A transaction that commits late
 * is published late, never skipped; how late is {@code stagewatch.feed.lag.seconds}.
 */
@ApplicationScoped
public class FeedBroadcaster {

    private static final Logger LOG = Logger.getLogger(FeedBroadcaster.class);
    private static final int BATCH = 256;
    private static final FeedFilter EVERYTHING = new FeedFilter(null, null, null, null, null);

    private final RunRepository runs;
    private final FeedReader feed;
    private final FeedEpochRepository epochRepository;
    private final DatabaseEvents events;
    private final BroadcastProcessor<FeedItem> live = BroadcastProcessor.create();
    private final SingleFlight reads =
            new SingleFlight(this::readOnce, failure -> LOG.debugf("Feed read failed: %s", failure.getMessage()));
    private final AtomicInteger subscribers = new AtomicInteger();
    private final PipelineMetrics metrics;
    private volatile FeedPosition position;
    private volatile FeedEpochs epochs;

    public FeedBroadcaster(
            RunRepository runs,
            FeedReader feed,
            FeedEpochRepository epochs,
            DatabaseEvents events,
            PipelineMetrics metrics) {
        this.runs = runs;
        this.feed = feed;
        this.epochRepository = epochs;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Starts finding the feed's place, without waiting for it: a client that connects before the first read is done
     * waits for it in {@code FeedResource} (the polling takes over if the database does not answer).
     */
    void onStart(@Observes StartupEvent event) {
        events.transitions().subscribe().with(ignored -> wake());
        wake();
    }

    @Scheduled(every = "{stagewatch.feed.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return reads.run()
                .flatMap(ignored -> position == null
                        ? Uni.createFrom().voidItem()
                        : runs.feedLagSeconds(position).invoke(metrics::feedLag).replaceWithVoid())
                .onFailure()
                .recoverWithNull();
    }

    /** Every transition up to this place has been published; null before the first read. */
    public FeedPosition position() {
        return position;
    }

    /** The databases the feed has lived in, read with the first position; null before. */
    public FeedEpochs epochs() {
        return epochs;
    }

    /** The transitions published from now on, in feed order. A subscriber that does not keep up fails. */
    public Multi<FeedItem> live() {
        return live.onSubscription()
                .invoke(subscribers::incrementAndGet)
                .onTermination()
                .invoke(subscribers::decrementAndGet);
    }

    /** Subscriptions to {@link #live()} not yet cancelled or ended. */
    public int subscribers() {
        return subscribers.get();
    }

    private void wake() {
        reads.run().subscribe().with(ignored -> {});
    }

    /** Reads and publishes what became visible since the last read; {@link #reads} runs one at a time. */
    private Uni<Void> readOnce() {
        return position == null
                ? epochRepository
                        .epochs()
                        .invoke(read -> epochs = read)
                        .flatMap(read -> runs.lastFeedPosition())
                        .invoke(last -> position = last)
                        .replaceWithVoid()
                : readBatches();
    }

    private Uni<Void> readBatches() {
        return feed.feed(position, FeedPosition.END, EVERYTHING, BATCH).flatMap(batch -> {
            for (FeedItem event : batch) {
                position = event.position(); // before publishing: see FeedResource for why
                live.onNext(event);
            }
            return batch.size() == BATCH ? readBatches() : Uni.createFrom().voidItem();
        });
    }
}
