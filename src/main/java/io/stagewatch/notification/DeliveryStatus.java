package io.stagewatch.notification;

/** Where an outbox row stands. */
public enum DeliveryStatus {
    /** Not sent yet: due now, leased to a processor, or waiting for its next attempt. */
    PENDING,
    /** Accepted by the SMTP server. */
    SENT,
    /** Failed {@code stagewatch.outbox.max-attempts} times; an operator may retry it. */
    DEAD
}
