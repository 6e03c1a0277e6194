package io.stagewatch.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive only while the observation stream is subscribed: a stream that ended records nothing any more, and only a
 * restart (the kubelet's, on a failed liveness probe) brings it back.
 */
@Liveness
@ApplicationScoped
public class PipelineHealthCheck implements HealthCheck {

    private final RunPipeline pipeline;

    public PipelineHealthCheck(RunPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("observation-stream")
                .status(pipeline.isRunning())
                .build();
    }
}
