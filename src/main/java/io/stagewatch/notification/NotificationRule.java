package io.stagewatch.notification;

import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import java.time.Instant;
import java.util.List;

/**
 * Who is told of what: runs of pipelines matching the glob {@code pipeline}, in one of {@code stages}, announce
 * {@code events} to {@code recipients} (normalized addresses, no duplicates) and to {@code webhooks} (no two with the
 * same kind and URL), one of them may be empty, not both; runs of every platform, or only of {@code platforms} when
 * it names some; runs of every cluster, or only of {@code clusters} when it names some.
 *
 * @param id        null until stored
 * @param createdAt null until stored
 * @param updatedAt null until stored
 * @param file      the rules file the rule comes from, which alone may change it; null for a rule made through the API
 */
public record NotificationRule(
        Long id,
        String name,
        String pipeline,
        List<Stage> stages,
        List<NotificationEvent> events,
        List<String> recipients,
        List<Webhook> webhooks,
        Instant createdAt,
        Instant updatedAt,
        List<Platform> platforms,
        List<String> clusters,
        String file) {

    public NotificationRule {
        platforms = List.copyOf(platforms);
        clusters = List.copyOf(clusters);
        stages = List.copyOf(stages);
        events = List.copyOf(events);
        recipients = List.copyOf(recipients);
        webhooks = List.copyOf(webhooks);
    }

    /** A rule not stored yet. */
    public static NotificationRule draft(
            String name,
            String pipeline,
            List<Stage> stages,
            List<NotificationEvent> events,
            List<String> recipients,
            List<Webhook> webhooks) {
        return new NotificationRule(
                null, name, pipeline, stages, events, recipients, webhooks, null, null, List.of(), List.of(), null);
    }

    /** The same rule for runs of these platforms only; empty for every platform. */
    public NotificationRule withPlatforms(List<Platform> only) {
        return new NotificationRule(
                id, name, pipeline, stages, events, recipients, webhooks, createdAt, updatedAt, only, clusters, file);
    }

    /** The same rule for runs of these clusters only; empty for every cluster. */
    public NotificationRule withClusters(List<String> only) {
        return new NotificationRule(
                id, name, pipeline, stages, events, recipients, webhooks, createdAt, updatedAt, platforms, only, file);
    }

    /** The same rule from this rules file. */
    public NotificationRule withFile(String path) {
        return new NotificationRule(
                id,
                name,
                pipeline,
                stages,
                events,
                recipients,
                webhooks,
                createdAt,
                updatedAt,
                platforms,
                clusters,
                path);
    }

    /** Whether only a rules file may change the rule. */
    public boolean fromFile() {
        return file != null;
    }

    /** The pipeline glob as a SQL {@code LIKE} pattern with escape character backslash. */
    public String pipelineLike() {
        return PipelineGlob.toLike(pipeline);
    }
}
