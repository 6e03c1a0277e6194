package io.stagewatch.platform;

import io.stagewatch.run.ContainerRules;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;

/** What a profile reads from one pod: whose run it is, where it belongs, and which of its containers decide it. */
public record RunMapping(
        Platform platform,
        Stage stage,
        String workflow,
        String pipeline,
        String app,
        String environment,
        ContainerRules rules) {}
