package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.notification.DeliveryCounts;

/** How many of a run's notifications are pending, sent and dead. */
@RegisterForReflection
public record NotificationCountsJson(int pending, int sent, int dead) {

    static NotificationCountsJson of(DeliveryCounts counts) {
        return new NotificationCountsJson(counts.pending(), counts.sent(), counts.dead());
    }
}
