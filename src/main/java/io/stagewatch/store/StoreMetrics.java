package io.stagewatch.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** The meters of the database writes. */
@ApplicationScoped
@Startup // its meter exists from the start, before the first write
public class StoreMetrics {

    private final DistributionSummary batchSizes;

    public StoreMetrics(MeterRegistry registry) {
        this.batchSizes = DistributionSummary.builder("stagewatch.persist.batch.size")
                .description("Transitions committed together in one transaction")
                .register(registry);
    }

    /** A transaction committed {@code transitions} transitions together. */
    void batchCommitted(int transitions) {
        batchSizes.record(transitions);
    }
}
