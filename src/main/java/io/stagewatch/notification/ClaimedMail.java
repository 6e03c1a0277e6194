package io.stagewatch.notification;

import java.time.Instant;
import java.util.UUID;

import io.stagewatch.run.Run;

/**
 * An outbox row claimed by one processor for one lease, with the run it is about.
 *
 * @param attempts the attempts made so far, this one included
 * @param queuedAt when the transition that queued the row was committed
 */
public record ClaimedMail(long id, UUID claim, NotificationEvent event, String recipient, int attempts, String messageId,
        Instant queuedAt, Run run) {
}
