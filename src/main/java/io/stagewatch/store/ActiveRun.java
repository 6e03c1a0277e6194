package io.stagewatch.store;

import io.stagewatch.run.RunStatus;
import java.time.Instant;

/**
 * A run that has not finished, as the reconcile loop sees it.
 *
 * @param platform the id of the profile that read its pod
 */
public record ActiveRun(
        String uid, String namespace, String pod, RunStatus status, Instant firstSeenAt, String platform) {}
