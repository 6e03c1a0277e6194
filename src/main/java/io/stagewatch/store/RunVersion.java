package io.stagewatch.store;

import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;

/**
 * The recorded status of a run, the version a compare-and-set must name to change it, and the recorded message (why a
 * run still on its way waits, for one; null when there is none).
 */
public record RunVersion(Stage stage, RunStatus status, long version, String message) {}
