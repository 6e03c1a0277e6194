package io.stagewatch.notification;

/** How many of a run's notifications stand in each {@link DeliveryStatus}. */
public record DeliveryCounts(int pending, int sent, int dead) {

    /** A run no rule or annotation sends mail for. */
    public static final DeliveryCounts NONE = new DeliveryCounts(0, 0, 0);
}
