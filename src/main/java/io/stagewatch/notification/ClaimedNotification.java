package io.stagewatch.notification;

import io.stagewatch.run.Run;
import java.time.Instant;
import java.util.UUID;

/**
 * An outbox row claimed by one processor for one lease, with the run it is about.
 *
 * @param destination the e-mail address, or the webhook's URL
 * @param secret      the webhook's signing key as it was when the row was queued, or null; never shown
 * @param body        the webhook's JSON body, rendered when the row was queued; null for mail
 * @param attempts    the attempts made so far, this one included
 * @param messageId   the row's deterministic id: a mail's Message-ID, a webhook's Idempotency-Key (without brackets)
 * @param queuedAt    when the transition that queued the row was committed
 */
public record ClaimedNotification(
        long id,
        UUID claim,
        NotificationEvent event,
        Channel channel,
        String destination,
        String secret,
        String body,
        int attempts,
        String messageId,
        Instant queuedAt,
        Run run) {

    /** The destination as it may be shown. */
    public String displayDestination() {
        return channel.display(destination);
    }

    @Override
    public String toString() {
        return "ClaimedNotification[" + id + " " + event + " " + channel.id() + " " + displayDestination() + "]";
    }
}
