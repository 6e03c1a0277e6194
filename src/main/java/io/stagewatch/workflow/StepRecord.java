package io.stagewatch.workflow;

/**
 * The platform's own word on one attempt of a step (an Argo pod node, by its node ID; a Tekton TaskRun, by its name).
 *
 * @param phase     verbatim: the node's phase ({@code Succeeded}, {@code Failed}, {@code Error}, ...) or the TaskRun's
 *                  {@code Succeeded} condition reason ({@code Succeeded}, {@code Failed}, {@code FailureIgnored}, ...)
 * @param succeeded whether the platform counts this attempt a success
 * @param absorbed  whether the platform let its failure pass on purpose: an Argo node with a succeeded ancestor (a
 *                  retry that succeeded later, {@code continueOn}, a DAG branch that is not a target), a Tekton TaskRun
 *                  ended {@code FailureIgnored} ({@code onError: continue})
 */
public record StepRecord(String phase, boolean succeeded, boolean absorbed) {}
