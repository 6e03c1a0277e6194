package io.stagewatch.pipeline;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import io.micrometer.core.instrument.MeterRegistry;
import io.stagewatch.StagewatchConfig;

/** The one bus of the service. */
public class ObservationBusProducer {

    @Produces
    @Singleton
    ObservationBus bus(StagewatchConfig config, PodCodec codec, MeterRegistry registry) {
        return new ObservationBus(config.pipeline().capacity(), codec, registry);
    }
}
