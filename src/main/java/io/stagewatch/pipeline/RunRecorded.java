package io.stagewatch.pipeline;

import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.RunStatus;

/**
 * Fired (synchronously, as a CDI event) after an observation of a live pod was decided: {@code status} is the run's
 * recorded status from then on. Edges that act on the pod, such as the status-capture finalizer, observe it; the
 * pipeline does not know them.
 */
public record RunRecorded(Pod pod, RunStatus status) {}
