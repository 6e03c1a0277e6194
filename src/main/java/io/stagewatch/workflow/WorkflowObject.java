package io.stagewatch.workflow;

import io.stagewatch.run.Platform;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What stagewatch keeps of a platform's workflow object: identity, what it runs, the platform's verdict, and per step
 * only what the verdict needs. Never its parameters, spec copies, results or pod templates (where secrets live): the
 * decoder takes whitelisted fields only.
 *
 * @param platform       the profile whose pods it owns ({@code argo} or {@code devtron} for a Workflow, {@code tekton},
 *                       {@code job} or {@code devtron} for a Job)
 * @param pipeline       the template, pipeline or Job name stem it runs, or null
 * @param platformStatus the controller's own word, verbatim: Argo's phase, the reason of Tekton's {@code Succeeded}
 *                       condition, a Job's finishing condition type ({@code Complete} or {@code Failed}); null when
 *                       it has none yet
 * @param outcome        what {@code platformStatus} means
 * @param finished       whether the platform says the object finished (Argo: label {@code completed=true} or
 *                       {@code finishedAt}; Tekton: {@code Succeeded} True or False with {@code completionTime}; Job:
 *                       {@code Complete} or {@code Failed})
 * @param interruption   an end the platform made on purpose, or {@link Interruption#NONE}
 * @param message        the platform's message, made safe and bounded, or null
 * @param steps          the platform's word on each step attempt, by {@link Step#platformKey()}; empty when the platform
 *                       does not say (Argo's offloaded or compressed node status, a Job)
 */
public record WorkflowObject(
        Platform platform,
        WorkflowKind kind,
        String uid,
        String namespace,
        String name,
        String pipeline,
        String platformStatus,
        PlatformOutcome outcome,
        boolean finished,
        Interruption interruption,
        Instant startedAt,
        Instant finishedAt,
        String message,
        Map<String, StepRecord> steps) {

    public WorkflowObject {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(interruption, "interruption");
        steps = Map.copyOf(steps);
        if (finished == (outcome == PlatformOutcome.RUNNING)) {
            throw new IllegalArgumentException("a finished object has an outcome, and only a finished one");
        }
    }

    /**
     * The same object with the platform's word on its steps from elsewhere: a PipelineRun's from its TaskRuns, which
     * hold their own status.
     */
    public WorkflowObject withSteps(Map<String, StepRecord> records) {
        return new WorkflowObject(
                platform,
                kind,
                uid,
                namespace,
                name,
                pipeline,
                platformStatus,
                outcome,
                finished,
                interruption,
                startedAt,
                finishedAt,
                message,
                records);
    }
}
