package io.stagewatch.notification;

import java.time.Instant;

/** One outbox row: a mail to one recipient about one event of one run. */
public record Notification(
        long id,
        String runUid,
        NotificationEvent event,
        String recipient,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Instant sentAt,
        String lastError,
        String messageId) {
}
