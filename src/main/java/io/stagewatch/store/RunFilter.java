package io.stagewatch.store;

import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;

/** Optional filters of a run listing; null means "any". {@code platform} is a profile's id. */
public record RunFilter(
        Stage stage,
        RunStatus status,
        String pipeline,
        String namespace,
        String workflow,
        String platform,
        String cluster) {}
