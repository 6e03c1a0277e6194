package io.stagewatch.workflow;

/** What a workflow's platform says of it: not finished yet, success, or failure. */
public enum PlatformOutcome {
    /** Not finished, or no word yet. */
    RUNNING,
    /** Argo phase {@code Succeeded}; Tekton condition {@code Succeeded=True}; Job condition {@code Complete=True}. */
    SUCCEEDED,
    /** Any other finished state: Argo {@code Failed} or {@code Error}, Tekton {@code Succeeded=False}, Job {@code Failed}. */
    FAILED
}
