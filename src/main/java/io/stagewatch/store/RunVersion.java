package io.stagewatch.store;

import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;

/** The recorded status of a run and the version a compare-and-set must name to change it. */
public record RunVersion(Stage stage, RunStatus status, long version) {
}
