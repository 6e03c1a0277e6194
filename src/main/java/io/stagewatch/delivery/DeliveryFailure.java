package io.stagewatch.delivery;

import java.time.Duration;

/**
 * A delivery that did not succeed, and what to do about it: retry with the outbox's backoff, retry after the time the
 * receiver asked for, or give up at once (the row is DEAD). The message is what {@code lastError} shows: no secret, no
 * Slack URL.
 */
public final class DeliveryFailure extends RuntimeException {

    private final boolean permanent;
    private final Duration retryAfter;

    private DeliveryFailure(String message, boolean permanent, Duration retryAfter) {
        super(message, null, false, false);
        this.permanent = permanent;
        this.retryAfter = retryAfter;
    }

    /** Retried with the outbox's backoff. */
    public static DeliveryFailure retry(String message) {
        return new DeliveryFailure(message, false, null);
    }

    /** Retried after {@code retryAfter} (capped by the processor), or with the backoff when null. */
    public static DeliveryFailure retryAfter(String message, Duration retryAfter) {
        return new DeliveryFailure(message, false, retryAfter);
    }

    /** Never retried: the row is DEAD at once. */
    public static DeliveryFailure permanent(String message) {
        return new DeliveryFailure(message, true, null);
    }

    public boolean permanent() {
        return permanent;
    }

    /** The pause the receiver asked for, or null. */
    public Duration retryAfterDelay() {
        return retryAfter;
    }
}
