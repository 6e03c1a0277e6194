package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.notification.DeliveryStatus;
import io.stagewatch.notification.Notification;
import io.stagewatch.notification.NotificationEvent;
import java.time.Instant;

/**
 * An outbox row as the API shows it: {@code channel} is the key of its channel ({@code email}, {@code webhook},
 * {@code slack}, or one of a later release); {@code destination} the address or URL (a Slack URL as its scheme and
 * host); {@code recipient} the address of a mail (null for a webhook), as earlier releases showed it.
 */
@RegisterForReflection
public record NotificationJson(
        long id,
        String runUid,
        NotificationEvent event,
        String channel,
        String destination,
        String recipient,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Instant sentAt,
        String lastError,
        String messageId) {

    static NotificationJson of(Notification n) {
        return new NotificationJson(
                n.id(),
                n.runUid(),
                n.event(),
                n.channel(),
                n.destination(),
                n.recipient(),
                n.status(),
                n.attempts(),
                n.status() == DeliveryStatus.PENDING ? n.nextAttemptAt() : null,
                n.sentAt(),
                n.lastError(),
                n.messageId());
    }
}
