package io.stagewatch.notification;

import java.time.Instant;
import java.util.List;

import io.stagewatch.run.Stage;

/**
 * Who is told of what: runs of pipelines matching the glob {@code pipeline}, in one of {@code stages}, announce
 * {@code events} to {@code recipients} (normalized addresses, no duplicates) and to {@code webhooks} (no two with the
 * same kind and URL); one of them may be empty, not both.
 *
 * @param id        null until stored
 * @param createdAt null until stored
 * @param updatedAt null until stored
 */
public record NotificationRule(Long id, String name, String pipeline, List<Stage> stages,
        List<NotificationEvent> events, List<String> recipients, List<Webhook> webhooks, Instant createdAt,
        Instant updatedAt) {

    public NotificationRule {
        stages = List.copyOf(stages);
        events = List.copyOf(events);
        recipients = List.copyOf(recipients);
        webhooks = List.copyOf(webhooks);
    }

    /** A rule not stored yet. */
    public static NotificationRule draft(String name, String pipeline, List<Stage> stages,
            List<NotificationEvent> events, List<String> recipients, List<Webhook> webhooks) {
        return new NotificationRule(null, name, pipeline, stages, events, recipients, webhooks, null, null);
    }

    /** The pipeline glob as a SQL {@code LIKE} pattern with escape character backslash. */
    public String pipelineLike() {
        return PipelineGlob.toLike(pipeline);
    }
}
