package io.stagewatch.pipeline;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;

/** The pipeline's meters. Tags are low-cardinality enums; never a pod name or UID. */
@ApplicationScoped
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Timer commitLatency;
    private final Counter retries;
    private final Map<Source, Counter> observed = new EnumMap<>(Source.class);

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.commitLatency = Timer.builder("stagewatch.transitions.latency")
                .description("From observation to committed transition")
                .publishPercentileHistogram()
                .register(registry);
        this.retries = Counter.builder("stagewatch.persist.retries")
                .description("Attempts to persist a decision that failed and were retried")
                .register(registry);
        for (Source source : Source.values()) {
            observed.put(source, Counter.builder("stagewatch.observations").tag("source", source.name())
                    .description("Observations of workflow pods, by source").register(registry));
        }
    }

    void observed(Source source) {
        observed.get(source).increment();
    }

    void invalid(String problem) {
        registry.counter("stagewatch.observations.invalid", "problem", problem).increment();
    }

    void committed(Stage stage, RunStatus to, FailureCause cause, long receivedNanos) {
        registry.counter("stagewatch.transitions", "stage", stage.name(), "to", to.name(),
                "cause", cause == null ? "none" : cause.name()).increment();
        commitLatency.record(Duration.ofNanos(System.nanoTime() - receivedNanos));
    }

    void rejected(RunStatus from, RunStatus to) {
        registry.counter("stagewatch.transitions.rejected", "from", from.name(), "to", to.name()).increment();
    }

    void retried() {
        retries.increment();
    }

    /** An observation given up on: a failure that is not a transient database error, by exception type. */
    void failed(String problem) {
        registry.counter("stagewatch.observations.failed", "problem", problem).increment();
    }
}
