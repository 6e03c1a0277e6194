package io.stagewatch.delivery;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.ClaimedNotification;

/**
 * How the notifications of one channel are delivered: one bean per channel, found by its key
 * ({@link ChannelSenders}). The outbox processor claims only the rows of the channels it has a sender for.
 */
public interface ChannelSender {

    /** The channel's key, as the outbox, the API and the metrics spell it: {@code email}, {@code webhook}, ... */
    String channel();

    /**
     * Sends one claimed notification of this channel, the same bytes on every attempt; the receiver's acceptance
     * completes the Uni, a {@link DeliveryFailure} says when to try again, if ever.
     */
    Uni<Void> send(ClaimedNotification notification);
}
