package io.stagewatch.delivery;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.store.DatabaseEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Wakes the outbox processor: at once on NOTIFY, and every {@code stagewatch.outbox.poll-interval} as the backstop,
 * since a NOTIFY is only a hint.
 */
@ApplicationScoped
public class OutboxWakeUp {

    private final OutboxProcessor processor;
    private final DatabaseEvents events;
    private final boolean enabled;

    public OutboxWakeUp(OutboxProcessor processor, DatabaseEvents events, StagewatchConfig config) {
        this.processor = processor;
        this.events = events;
        this.enabled = config.outbox().enabled();
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            events.outbox()
                    .subscribe()
                    .with(ignored -> processor.drain().subscribe().with(done -> {}));
        }
    }

    @Scheduled(every = "{stagewatch.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return processor.measureBacklog().onFailure().recoverWithNull().flatMap(ignored -> processor.drain());
    }
}
