package io.stagewatch.store;

import io.stagewatch.run.RunStatus;

/** Optional filters of a workflow listing; null means "any". {@code platform} is a profile's id. */
public record WorkflowFilter(
        String platform, RunStatus status, String pipeline, String namespace, Boolean contradiction, String cluster) {}
