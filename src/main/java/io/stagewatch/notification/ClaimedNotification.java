package io.stagewatch.notification;

import io.stagewatch.run.Run;
import io.stagewatch.run.Transition;
import java.util.UUID;

/**
 * An outbox row claimed by one processor for one lease, with the run it is about and the transition that queued it.
 *
 * @param channel    the key of the channel that delivers it
 * @param recipient  the e-mail address of a mail, null for a webhook
 * @param url        the webhook's URL, null for a mail
 * @param secret     the webhook's signing key as it was when the row was queued, or null; never shown
 * @param body       the webhook's JSON body as an earlier release rendered it when it queued the row; null for rows
 *                   queued since, whose body the sender renders from the run and the transition
 * @param attempts   the attempts made so far, this one included
 * @param messageId  the row's deterministic id: a mail's Message-ID, a webhook's Idempotency-Key (without brackets)
 * @param transition the transition that queued the row; its {@code at} is when it was committed
 */
public record ClaimedNotification(
        long id,
        UUID claim,
        NotificationEvent event,
        String channel,
        String recipient,
        String url,
        String secret,
        String body,
        int attempts,
        String messageId,
        Run run,
        Transition transition) {

    /** The destination as it may be shown. */
    public String displayDestination() {
        return Notification.display(channel, recipient, url);
    }

    @Override
    public String toString() {
        return "ClaimedNotification[" + id + " " + event + " " + channel + " " + displayDestination() + "]";
    }
}
