package io.stagewatch.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

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
            observed.put(
                    source,
                    Counter.builder("stagewatch.observations")
                            .tag("source", source.name())
                            .description("Observations of workflow pods, by source")
                            .register(registry));
        }
    }

    void observed(Source source) {
        observed.get(source).increment();
    }

    void invalid(String problem) {
        Counter.builder("stagewatch.observations.invalid")
                .description("Pods skipped as malformed, by problem")
                .tag("problem", problem)
                .register(registry)
                .increment();
    }

    void committed(Stage stage, RunStatus to, FailureCause cause, FailureReason reason, long receivedNanos) {
        Counter.builder("stagewatch.transitions")
                .description("Committed run transitions, by stage, new status, cause and reason")
                .tags(
                        "stage",
                        stage.name(),
                        "to",
                        to.name(),
                        "cause",
                        cause == null ? "none" : cause.name(),
                        "reason",
                        reason == null ? "none" : reason.name())
                .register(registry)
                .increment();
        commitLatency.record(Duration.ofNanos(System.nanoTime() - receivedNanos));
    }

    void rejected(RunStatus from, RunStatus to) {
        Counter.builder("stagewatch.transitions.rejected")
                .description("Transitions the state machine refused (a run moving backwards)")
                .tags("from", from.name(), "to", to.name())
                .register(registry)
                .increment();
    }

    void retried() {
        retries.increment();
    }

    /** An observation given up on: a failure that is not a transient database error, by exception type. */
    void failed(String problem) {
        Counter.builder("stagewatch.observations.failed")
                .description(
                        "Observations given up on after a failure that is not a transient database error, by exception type")
                .tag("problem", problem)
                .register(registry)
                .increment();
    }
}
