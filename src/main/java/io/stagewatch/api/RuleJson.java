package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.notification.NotificationRule;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import java.time.Instant;
import java.util.List;

/**
 * A notification rule as the API takes and shows it. In requests {@code id}, {@code createdAt} and
 * {@code updatedAt} are ignored; stages and events are their API names; {@code recipients} or {@code webhooks} may be
 * absent or empty, not both; {@code platforms} (optional) restricts the rule to runs of those platforms, absent or
 * empty for every platform; {@code clusters} (optional) to runs of those clusters, absent or empty for every cluster.
 */
@RegisterForReflection
public record RuleJson(
        Long id,
        String name,
        String pipeline,
        List<String> stages,
        List<String> events,
        List<String> recipients,
        List<WebhookJson> webhooks,
        Instant createdAt,
        Instant updatedAt,
        List<String> platforms,
        List<String> clusters) {

    static RuleJson of(NotificationRule rule) {
        return new RuleJson(
                rule.id(),
                rule.name(),
                rule.pipeline(),
                rule.stages().stream().map(Stage::name).toList(),
                rule.events().stream().map(NotificationEvent::name).toList(),
                rule.recipients(),
                rule.webhooks().stream().map(WebhookJson::of).toList(),
                rule.createdAt(),
                rule.updatedAt(),
                rule.platforms().stream().map(Platform::id).toList(),
                rule.clusters());
    }
}
