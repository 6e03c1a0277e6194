package io.stagewatch.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/** The pipeline's meters: the bus, the decisions, the feed. Tags are low-cardinality enums; never a pod name or UID. */
@ApplicationScoped
@Startup // every series at 0 from the start, so that an alert on increase(...) sees the first event too
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Timer commitLatency;
    private final Counter retries;
    private final Map<Source, Counter> observed = new EnumMap<>(Source.class);
    private final Counter dropped;
    private final Counter superseded;
    private final Counter unchanged;
    private final Counter invalidRecipients;
    private final Map<RecipientPolicy.Refusal, Counter> refusedRecipients =
            new EnumMap<>(RecipientPolicy.Refusal.class);
    private final AtomicReference<Double> feedLagSeconds = new AtomicReference<>(0.0);

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
        this.dropped = Counter.builder("stagewatch.observations.dropped")
                .description("Observations dropped because the pipeline was full")
                .register(registry);
        this.superseded = Counter.builder("stagewatch.observations.superseded")
                .description("Observations replaced by a newer one of the same run before they were decided")
                .register(registry);
        this.unchanged = Counter.builder("stagewatch.observations.unchanged")
                .description("Sightings of a pod in the version already decided on, left out when published")
                .register(registry);
        this.invalidRecipients = Counter.builder("stagewatch.notify.recipients.invalid")
                .description(
                        "Addresses in a pod's notify annotation that are not valid, skipped (counted once per pod)")
                .register(registry);
        for (RecipientPolicy.Refusal why : RecipientPolicy.Refusal.values()) {
            refusedRecipients.put(
                    why,
                    Counter.builder("stagewatch.notify.recipients.refused")
                            .description(
                                    "Recipients of a pod's notify annotation refused by stagewatch.notify.* (counted once "
                                            + "per pod): namespace not allowed, domain not allowed, too many")
                            .tag("why", why.tag())
                            .register(registry));
        }
        Gauge.builder("stagewatch.feed.lag.seconds", feedLagSeconds, AtomicReference::get)
                .description(
                        "How long the oldest committed transition not yet published has waited (a long transaction "
                                + "anywhere on the database holds the feed back)")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /** The gauge of the runs waiting in the bus, read from {@code undecided} at every scrape. */
    void undecided(IntSupplier undecided) {
        Gauge.builder("stagewatch.observations.undecided", undecided, IntSupplier::getAsInt)
                .description("Runs with an observation published and not yet decided")
                .strongReference(true)
                .register(registry);
    }

    void dropped() {
        dropped.increment();
    }

    void superseded() {
        superseded.increment();
    }

    void unchanged() {
        unchanged.increment();
    }

    /** Addresses of one pod's notify annotation: invalid ones, and valid ones refused, by why. */
    void recipientsSkipped(int invalid, Map<RecipientPolicy.Refusal, Integer> refused) {
        invalidRecipients.increment(invalid);
        refused.forEach((why, count) -> refusedRecipients.get(why).increment(count));
    }

    void feedLag(double seconds) {
        feedLagSeconds.set(seconds);
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

    /**
     * A run's observation given up on: a failure that is not a transient database error, by exception type; counted
     * once per run and reason, not at every pass that meets it again.
     */
    void failed(String problem) {
        Counter.builder("stagewatch.observations.failed")
                .description(
                        "Runs whose observation was given up on after a failure that is not a transient database error "
                                + "(once per run and reason), by exception type")
                .tag("problem", problem)
                .register(registry)
                .increment();
    }
}
