package io.stagewatch.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

/**
 * Where the watch and the reconcile loop publish, and the pipeline reads: one stream of observations. Publishing
 * never blocks; beyond {@code capacity} undecided observations new ones are dropped and counted, and the next
 * reconcile pass observes every pod again.
 */
public class ObservationBus {

    private final UnicastProcessor<Observation> processor = UnicastProcessor.create();
    private final AtomicInteger undecided = new AtomicInteger();
    private final int capacity;
    private final Counter dropped;

    public ObservationBus(int capacity, MeterRegistry registry) {
        this.capacity = capacity;
        this.dropped = Counter.builder("stagewatch.observations.dropped")
                .description("Observations dropped because the pipeline was full")
                .register(registry);
        registry.gauge("stagewatch.observations.undecided", undecided);
    }

    /** Hands an observation to the pipeline; returns false when it was dropped. */
    public boolean publish(Observation observation) {
        if (undecided.incrementAndGet() > capacity) {
            undecided.decrementAndGet();
            dropped.increment();
            return false;
        }
        processor.onNext(observation);
        return true;
    }

    /** Called by the pipeline once an observation is decided (or skipped). */
    void decided() {
        undecided.decrementAndGet();
    }

    Multi<Observation> stream() {
        return processor;
    }

    /** Observations published and not yet decided. */
    public int undecided() {
        return undecided.get();
    }
}
