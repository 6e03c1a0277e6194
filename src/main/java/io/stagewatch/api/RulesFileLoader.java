package io.stagewatch.api;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.delivery.WebhookTargets;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.store.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The rules file of {@code stagewatch.rules.file} ({@link RulesFileSync}): loaded at start, then read every
 * {@value #POLL} and loaded when it changed, well within the minute a ConfigMap takes to reach a pod.
 */
@ApplicationScoped
public class RulesFileLoader {

    static final String POLL = "10s";

    private final RulesFileSync sync;

    public RulesFileLoader(
            StagewatchConfig config,
            RuleRepository rules,
            WebhookTargets targets,
            RecipientPolicy policy,
            ApiMetrics metrics) {
        this.sync = new RulesFileSync(
                config.rules().file().orElse(null),
                config.rules().owner(),
                System::getenv,
                rules,
                targets.allowedHosts(),
                policy,
                metrics::rulesFileInvalid);
    }

    void onStart(@Observes StartupEvent event) {
        sync.poll().subscribe().with(ignored -> {});
    }

    @Scheduled(every = POLL, delayed = POLL, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return sync.poll();
    }

    /** Why the rules file was not loaded, or null. */
    String problem() {
        return sync.problem();
    }
}
