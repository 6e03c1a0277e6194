package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.notification.NotificationEvent;
import io.stagewatch.notification.NotificationRule;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.notification.RuleValidator;
import io.stagewatch.notification.Webhook;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A notification rule as the API takes and shows it, and as a rules file holds it. In requests {@code id},
 * {@code createdAt}, {@code updatedAt} and {@code source} are ignored; stages and events are their API names;
 * {@code recipients} or {@code webhooks} may be absent or empty, not both; {@code platforms} (optional) restricts the
 * rule to runs of those platforms, absent or empty for every platform; {@code clusters} (optional) to runs of those
 * clusters, absent or empty for every cluster. {@code source} is {@code api} for a rule made through the API,
 * {@code file} for one from a rules file, which only the file may change.
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
        List<String> clusters,
        String source) {

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
                rule.clusters(),
                rule.fromFile() ? "file" : "api");
    }

    /**
     * The rule this describes, not yet stored ({@link RuleValidator#validate}).
     *
     * @throws RuleValidator.InvalidRule naming the first field that is missing or wrong
     */
    NotificationRule toRule(List<Webhook> stored, Set<String> allowedHosts, RecipientPolicy policy) {
        return RuleValidator.validate(
                        name,
                        pipeline,
                        stages,
                        events,
                        recipients,
                        webhooks == null
                                ? null
                                : webhooks.stream()
                                        .map(hook -> hook == null ? null : hook.fields())
                                        .toList(),
                        stored,
                        allowedHosts,
                        policy)
                .withPlatforms(RuleValidator.platforms(platforms))
                .withClusters(RuleValidator.clusters(clusters));
    }
}
