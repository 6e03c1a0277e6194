package io.stagewatch.pipeline;

import io.stagewatch.StagewatchConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one bus of the service. */
public class ObservationBusProducer {

    @Produces
    @Singleton
    ObservationBus bus(StagewatchConfig config, PodCodec codec, KnownRuns known, PipelineMetrics metrics) {
        return new ObservationBus(config.pipeline().capacity(), codec, known, metrics);
    }
}
