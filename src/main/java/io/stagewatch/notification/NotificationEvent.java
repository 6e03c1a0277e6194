package io.stagewatch.notification;

import io.stagewatch.run.RunStatus;
import java.util.Optional;

/** What a rule can ask to be told about, named in the API as {@code STARTED}, {@code SUCCEEDED}, {@code FAILED}. */
public enum NotificationEvent {
    STARTED,
    SUCCEEDED,
    FAILED;

    /** The event a run announces by moving to {@code to}; none for {@code PENDING}. */
    public static Optional<NotificationEvent> of(RunStatus to) {
        return switch (to) {
            case RUNNING -> Optional.of(STARTED);
            case SUCCEEDED -> Optional.of(SUCCEEDED);
            case FAILED -> Optional.of(FAILED);
            case PENDING -> Optional.empty();
        };
    }
}
