package io.stagewatch.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.IntSupplier;

/** The meters of the HTTP API and its rules file: the feed's clients, the rules files refused. */
@ApplicationScoped
@Startup // every series at 0 from the start, so that an alert on increase(...) sees the first event too
public class ApiMetrics {

    private final MeterRegistry registry;
    private final Counter feedDisconnected;
    private final Counter rulesFileInvalid;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.feedDisconnected = Counter.builder("stagewatch.feed.disconnected")
                .description("Feed clients disconnected because they fell behind")
                .register(registry);
        this.rulesFileInvalid = Counter.builder("stagewatch.rules.file.invalid")
                .description("Contents of the rules file that could not be loaded")
                .register(registry);
    }

    /** The gauge of the feed's clients, read from {@code clients} at every scrape. */
    void feedClients(IntSupplier clients) {
        Gauge.builder("stagewatch.feed.clients", clients, IntSupplier::getAsInt)
                .description("Feed clients connected to this instance")
                .strongReference(true)
                .register(registry);
    }

    /** A feed client cut off for falling behind. */
    void feedClientCutOff() {
        feedDisconnected.increment();
    }

    /** A content of the rules file that could not be loaded. */
    void rulesFileInvalid() {
        rulesFileInvalid.increment();
    }
}
