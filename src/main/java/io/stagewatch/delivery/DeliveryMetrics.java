package io.stagewatch.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.notification.NotificationEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The outbox's meters: attempts by channel, event and result, latency, the backlog. No tag names a recipient. */
@ApplicationScoped
@Startup // every series at 0 from the start, so that an alert on increase(...) sees the first DEAD mail too
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> latency = new HashMap<>();
    private final Counter released;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    public DeliveryMetrics(MeterRegistry registry, ChannelSenders senders) {
        this.registry = registry;
        for (String channel : senders.channels()) {
            latency.put(
                    channel,
                    Timer.builder("stagewatch.notifications.latency")
                            .description(
                                    "From the transition's commit to the acceptance (SMTP 250, HTTP 2xx), by channel")
                            .tags("channel", channel)
                            .publishPercentileHistogram()
                            .register(registry));
        }
        this.released = Counter.builder("stagewatch.outbox.released")
                .description("Claimed rows handed back unsent, due at once: too little lease left, or shutting down")
                .register(registry);
        Gauge.builder("stagewatch.outbox.pending", pending, AtomicLong::get)
                .description("Notifications waiting to be sent")
                .strongReference(true)
                .register(registry);
        Gauge.builder("stagewatch.outbox.oldest.age.seconds", oldestAgeSeconds, AtomicLong::get)
                .description("Age of the oldest notification waiting to be sent")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
        for (String channel : senders.channels()) {
            for (NotificationEvent event : NotificationEvent.values()) {
                List.of("sent", "retry", "dead").forEach(result -> notifications(channel, event, result));
            }
        }
    }

    /** Accepted by the server and marked sent: counted, and its latency from the transition's commit recorded. */
    void sent(ClaimedNotification notification) {
        latency.get(notification.channel())
                .record(Duration.between(notification.transition().at(), Instant.now()));
        notifications(notification.channel(), notification.event(), "sent").increment();
    }

    void retrying(ClaimedNotification notification) {
        notifications(notification.channel(), notification.event(), "retry").increment();
    }

    void dead(ClaimedNotification notification) {
        notifications(notification.channel(), notification.event(), "dead").increment();
    }

    /** Claimed rows handed back unsent. */
    void released(int rows) {
        released.increment(rows);
    }

    void backlog(long notifications, long oldestAgeSeconds) {
        this.pending.set(notifications);
        this.oldestAgeSeconds.set(oldestAgeSeconds);
    }

    private Counter notifications(String channel, NotificationEvent event, String result) {
        return Counter.builder("stagewatch.notifications")
                .description(
                        "Notification attempts by channel (its sender's key), event and result (sent, retry, dead)")
                .tags("channel", channel, "event", event.name(), "result", result)
                .register(registry);
    }
}
