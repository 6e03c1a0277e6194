package io.stagewatch.notification;

import java.time.Instant;

/**
 * One outbox row: a notification of one event of one run to one destination.
 *
 * @param recipient   the e-mail address of a mail, null for a webhook
 * @param destination the address or URL as it may be shown (a Slack URL as its scheme and host)
 */
public record Notification(
        long id,
        String runUid,
        NotificationEvent event,
        Channel channel,
        String recipient,
        String destination,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Instant sentAt,
        String lastError,
        String messageId) {}
