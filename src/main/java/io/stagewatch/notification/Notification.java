package io.stagewatch.notification;

import java.time.Instant;

/**
 * One outbox row: a notification of one event of one run to one destination.
 *
 * @param channel     the key of the channel that delivers it ({@code email}, {@code webhook}, {@code slack}, or one
 *                    of a later release)
 * @param recipient   the e-mail address of a mail, null for a webhook
 * @param destination the address or URL as it may be shown ({@link #display})
 */
public record Notification(
        long id,
        String runUid,
        NotificationEvent event,
        String channel,
        String recipient,
        String destination,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Instant sentAt,
        String lastError,
        String messageId) {

    /**
     * A row's destination as it may be shown (API, logs, errors): an address as it is; a URL as the webhook kind of its
     * channel shows it, or as its scheme and host when no kind this release knows has that channel (its path may be a
     * credential).
     */
    public static String display(String channel, String recipient, String url) {
        if (recipient != null) {
            return recipient;
        }
        return Webhook.Kind.ofChannel(channel)
                .map(kind -> kind.display(url))
                .orElseGet(() -> WebhookUrl.schemeAndHost(url));
    }
}
