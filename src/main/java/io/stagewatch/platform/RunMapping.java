package io.stagewatch.platform;

import io.stagewatch.run.ContainerRules;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.Stage;

/**
 * What a profile reads from one pod: whose run it is, where it belongs, what it is called, and which of its containers
 * decide it.
 */
public record RunMapping(Platform platform, Stage stage, RunNames names, ContainerRules rules) {}
