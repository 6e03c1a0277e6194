package io.stagewatch.store;

import java.time.Instant;

import io.stagewatch.run.RunStatus;

/** A run that has not finished, as the reconcile loop sees it. */
public record ActiveRun(String uid, String namespace, String pod, RunStatus status, Instant firstSeenAt) {
}
