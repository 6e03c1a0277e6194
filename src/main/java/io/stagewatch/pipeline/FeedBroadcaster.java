package io.stagewatch.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.concurrent.SingleFlight;
import io.stagewatch.run.FeedEvent;
import io.stagewatch.store.DatabaseEvents;
import io.stagewatch.store.FeedFilter;
import io.stagewatch.store.RunRepository;

/**
 * Publishes every committed transition, of any replica, once and in id order: woken by NOTIFY at commit, polling as
 * the backstop, it reads the transitions after the last one published. Ids are taken at insert, not at commit, so a
 * missing id may belong to a transaction still committing: it is waited for up to
 * {@code stagewatch.feed.gap-timeout}, then skipped (a statement that failed leaves such a hole for good).
 */
@ApplicationScoped
public class FeedBroadcaster {

    private static final Logger LOG = Logger.getLogger(FeedBroadcaster.class);
    private static final int BATCH = 256;
    private static final FeedFilter EVERYTHING = new FeedFilter(null, null, null, null);

    private final RunRepository runs;
    private final DatabaseEvents events;
    private final long gapTimeoutNanos;
    private final BroadcastProcessor<FeedEvent> live = BroadcastProcessor.create();
    private final SingleFlight reads = new SingleFlight(this::readOnce,
            failure -> LOG.debugf("Feed read failed: %s", failure.getMessage()));
    private final AtomicInteger subscribers = new AtomicInteger();
    private final Counter skipped;
    private volatile long position = -1;
    private long gapSeenAt;

    public FeedBroadcaster(RunRepository runs, DatabaseEvents events, StagewatchConfig config, MeterRegistry registry) {
        this.runs = runs;
        this.events = events;
        this.gapTimeoutNanos = config.feed().gapTimeout().toNanos();
        this.skipped = Counter.builder("stagewatch.feed.skipped")
                .description("Transition ids never committed, skipped by the feed after the gap timeout")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        events.transitions().subscribe().with(ignored -> wake());
    }

    @Scheduled(every = "{stagewatch.feed.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return reads.run();
    }

    /** Every transition with an id up to this one has been published (or skipped); -1 before the first read. */
    public long position() {
        return position;
    }

    /** The transitions published from now on, in id order. A subscriber that does not keep up fails. */
    public Multi<FeedEvent> live() {
        return live
                .onSubscription().invoke(subscribers::incrementAndGet)
                .onTermination().invoke(subscribers::decrementAndGet);
    }

    /** Subscriptions to {@link #live()} not yet cancelled or ended. */
    public int subscribers() {
        return subscribers.get();
    }

    private void wake() {
        reads.run().subscribe().with(ignored -> {
        });
    }

    /** Reads and publishes what was committed since the last read; {@link #reads} runs one at a time. */
    private Uni<Void> readOnce() {
        return position < 0
                ? runs.lastTransitionId().invoke(last -> position = last).replaceWithVoid()
                : readBatches();
    }

    private Uni<Void> readBatches() {
        return runs.feed(position, Long.MAX_VALUE, EVERYTHING, BATCH)
                .flatMap(batch -> publish(batch) && batch.size() == BATCH ? readBatches() : Uni.createFrom().voidItem());
    }

    /** Publishes the batch up to its first gap; returns false when it stopped at a gap. */
    private boolean publish(List<FeedEvent> batch) {
        for (FeedEvent event : batch) {
            if (event.id() != position + 1) {
                if (gapSeenAt == 0) {
                    gapSeenAt = System.nanoTime();
                    return false;
                }
                if (System.nanoTime() - gapSeenAt < gapTimeoutNanos) {
                    return false;
                }
                skipped.increment(event.id() - position - 1);
            }
            gapSeenAt = 0;
            position = event.id(); // before publishing: see FeedResource for why
            live.onNext(event);
        }
        return true;
    }
}
