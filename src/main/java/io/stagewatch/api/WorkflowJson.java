package io.stagewatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.run.FailureCause;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Stage;
import io.stagewatch.workflow.Workflow;
import io.stagewatch.workflow.WorkflowRun;
import java.time.Instant;
import java.util.List;

/**
 * A workflow as the API and the feed show it: stagewatch's verdict, and the platform's own word beside it
 * ({@code platformStatus}, verbatim; {@code contradiction} when the platform reports success and stagewatch says
 * FAILED). {@code runs} only in {@code GET /api/workflows/{uid}}.
 */
@RegisterForReflection(targets = {WorkflowJson.class, WorkflowJson.StepJson.class})
public record WorkflowJson(
        String uid,
        String cluster,
        String platform,
        String kind,
        String namespace,
        String name,
        String pipeline,
        Stage stage,
        RunStatus status,
        FailureCause cause,
        FailureReason reason,
        String reasonText,
        String message,
        String platformStatus,
        boolean contradiction,
        int infrastructureRetries,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<StepJson> runs) {

    /** One run of the workflow: its pod, the step it is, and its verdict. */
    public record StepJson(
            String uid, String pod, String step, RunStatus status, FailureCause cause, FailureReason reason) {}

    /** @param runs the workflow's runs, or null to leave them out */
    static WorkflowJson of(Workflow workflow, List<WorkflowRun> runs) {
        return new WorkflowJson(
                workflow.uid(),
                workflow.cluster(),
                workflow.platform(),
                workflow.kind(),
                workflow.namespace(),
                workflow.name(),
                workflow.pipeline(),
                workflow.stage(),
                workflow.status(),
                workflow.cause(),
                workflow.reason(),
                RunJson.words(workflow.reason()),
                workflow.message(),
                workflow.platformStatus(),
                workflow.contradiction(),
                workflow.infrastructureRetries(),
                workflow.createdAt(),
                workflow.startedAt(),
                workflow.finishedAt(),
                runs == null
                        ? null
                        : runs.stream()
                                .map(run -> new StepJson(
                                        run.uid(),
                                        run.pod(),
                                        run.step().name(),
                                        run.status(),
                                        run.cause(),
                                        run.reason()))
                                .toList());
    }
}
