package io.stagewatch.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagewatch.platform.ArgoProfile;
import io.stagewatch.platform.JobProfile;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.TektonProfile;
import io.stagewatch.run.ClusterText;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Rfc3339;
import io.stagewatch.run.Text;
import io.stagewatch.workflow.Interruption;
import io.stagewatch.workflow.MalformedWorkflowException;
import io.stagewatch.workflow.PlatformOutcome;
import io.stagewatch.workflow.StepRecord;
import io.stagewatch.workflow.WorkflowKind;
import io.stagewatch.workflow.WorkflowObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A platform's workflow object, as the API server sends it (an Argo {@code Workflow}, a Tekton {@code PipelineRun} or
 * {@code TaskRun}, a {@code batch/v1} {@code Job}), to the slim {@link WorkflowObject}: a pure function of the JSON
 * that reads whitelisted fields by path and copies nothing else. Secrets live in the rest of such objects (a
 * Workflow's parameters, the spec copies in Argo's {@code storedWorkflowTemplateSpec} and Tekton's
 * {@code pipelineSpec} and {@code taskSpec}, Tekton's results, a node's inputs and outputs, a Job's pod template with
 * its env): none of it is read, kept, logged or quoted in an exception. Every text kept is made safe and bounded
 * ({@link ClusterText}).
 */
public final class WorkflowDecoder {

    static final String ARGO_COMPLETED_LABEL = "workflows.argoproj.io/completed";
    /** Argo's phases of a node or workflow that count as success. */
    private static final Set<String> ARGO_SUCCESS = Set.of("Succeeded", "Skipped", "Omitted");

    private static final Set<String> ARGO_FAILURE = Set.of("Failed", "Error");
    /** The types of Argo nodes that contain others. */
    private static final Set<String> ARGO_CONTAINERS = Set.of("Retry", "StepGroup", "Steps", "DAG", "TaskGroup");

    /** One record of each phase Argo writes: a workflow of thousands of pods holds as many, mostly alike. */
    private static final Map<StepRecord, StepRecord> ARGO_RECORDS = Stream.of(
                    "Pending", "Running", "Succeeded", "Skipped", "Failed", "Error", "Omitted")
            .flatMap(phase -> Stream.of(true, false)
                    .map(absorbed -> new StepRecord(phase, ARGO_SUCCESS.contains(phase), absorbed)))
            .collect(Collectors.toUnmodifiableMap(record -> record, record -> record));

    private static final Set<String> ARGO_SHUTDOWN = Set.of("Terminate", "Stop");
    /** Reasons and {@code spec.status} values of a Tekton run cancelled or stopped by someone. */
    private static final Set<String> TEKTON_CANCELLED =
            Set.of("Cancelled", "CancelledRunFinally", "StoppedRunFinally", "TaskRunCancelled");

    private static final Set<String> TEKTON_TIMEOUT = Set.of("PipelineRunTimeout", "TaskRunTimeout");
    private static final String TEKTON_IGNORED = "FailureIgnored";

    private WorkflowDecoder() {}

    /**
     * @param platform the profile whose pods the object owns: {@code argo} or {@code devtron} (AWF) for a Workflow,
     *                 {@code tekton} for a PipelineRun or TaskRun, {@code job} or {@code devtron} (SYSTEM) for a Job
     * @throws MalformedWorkflowException for an object of another kind, without its identity, or with a time that is
     *                                    not RFC 3339
     */
    public static WorkflowObject decode(JsonNode object, Platform platform) {
        String kind = object.path("kind").asText("");
        try {
            return switch (kind) {
                case "Workflow" -> argo(object, platform);
                case "PipelineRun" -> tekton(object, platform, WorkflowKind.PIPELINE_RUN);
                case "TaskRun" -> tekton(object, platform, WorkflowKind.TASK_RUN);
                case "Job" -> job(object, platform);
                default -> throw new MalformedWorkflowException("unknown-kind", "not a workflow kind: " + name(kind));
            };
        } catch (MalformedPodException e) {
            throw new MalformedWorkflowException(e.problem(), e.getMessage());
        }
    }

    /**
     * A PipelineRun with the platform's word on each of its TaskRuns (decoded here too), which hold their own status:
     * the PipelineRun lists only their names.
     */
    public static WorkflowObject withTaskRuns(WorkflowObject pipelineRun, Iterable<WorkflowObject> taskRuns) {
        Map<String, StepRecord> steps = new HashMap<>();
        for (WorkflowObject taskRun : taskRuns) {
            steps.putAll(taskRun.steps());
        }
        return pipelineRun.withSteps(steps);
    }

    private static WorkflowObject argo(JsonNode workflow, Platform platform) {
        JsonNode metadata = workflow.path("metadata");
        JsonNode labels = metadata.path("labels");
        JsonNode spec = workflow.path("spec");
        JsonNode status = workflow.path("status");
        String phase = name(text(status, "phase"));
        PlatformOutcome outcome = in(ARGO_SUCCESS, phase)
                ? PlatformOutcome.SUCCEEDED
                : in(ARGO_FAILURE, phase) ? PlatformOutcome.FAILED : PlatformOutcome.RUNNING;
        Instant started = time(status, "startedAt", "status.startedAt");
        Instant finished = time(status, "finishedAt", "status.finishedAt");
        boolean done = outcome != PlatformOutcome.RUNNING
                && ("true".equals(text(labels, ARGO_COMPLETED_LABEL)) || finished != null);
        String name = text(metadata, "name");
        return new WorkflowObject(
                platform,
                WorkflowKind.WORKFLOW,
                required(metadata, "uid"),
                required(metadata, "namespace"),
                required(metadata, "name"),
                name(Text.firstNonBlank(
                        text(labels, ArgoProfile.TEMPLATE_LABEL),
                        text(labels, ArgoProfile.CRON_LABEL),
                        text(spec.path("workflowTemplateRef"), "name"),
                        Profile.generatedStem(name),
                        name)),
                phase,
                done ? outcome : PlatformOutcome.RUNNING,
                done,
                argoInterruption(spec, outcome, started, finished),
                started,
                finished,
                ClusterText.message(text(status, "message")),
                argoSteps(status.path("nodes")));
    }

    private static Interruption argoInterruption(
            JsonNode spec, PlatformOutcome outcome, Instant started, Instant finished) {
        if (in(ARGO_SHUTDOWN, text(spec, "shutdown"))) {
            return Interruption.CANCELLED;
        }
        JsonNode deadline = spec.path("activeDeadlineSeconds");
        if (outcome == PlatformOutcome.FAILED
                && deadline.canConvertToLong()
                && started != null
                && finished != null
                && !Duration.between(started, finished)
                        .minusSeconds(deadline.asLong())
                        .isNegative()) {
            return Interruption.TIMED_OUT;
        }
        return Interruption.NONE;
    }

    /**
     * Argo's word on each pod node, by node ID: its phase, and whether a node that contains it succeeded (a retry node
     * whose later attempt succeeded, a step group whose {@code continueOn} let it fail), which means Argo let its
     * failure pass. A node's containers are the retry, step-group, steps, DAG and task-group nodes that list it as a
     * child (a pod node lists the next step group too, which it does not contain), else its {@code boundaryID}. Nothing
     * else of a node is read: its inputs and outputs hold parameters.
     */
    private static Map<String, StepRecord> argoSteps(JsonNode nodes) {
        if (!nodes.isObject()) {
            return Map.of();
        }
        Map<String, String> containers = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = nodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> node = it.next();
            if (in(ARGO_CONTAINERS, text(node.getValue(), "type"))) {
                for (JsonNode child : node.getValue().path("children")) {
                    containers.putIfAbsent(child.asText(), node.getKey());
                }
            }
        }
        Map<String, StepRecord> steps = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = nodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> node = it.next();
            if ("Pod".equals(text(node.getValue(), "type"))) {
                String phase = name(text(node.getValue(), "phase"));
                StepRecord record = new StepRecord(
                        phase, in(ARGO_SUCCESS, phase), containerSucceeded(node.getKey(), nodes, containers));
                steps.put(name(node.getKey()), ARGO_RECORDS.getOrDefault(record, record));
            }
        }
        return steps;
    }

    private static boolean containerSucceeded(String id, JsonNode nodes, Map<String, String> containers) {
        String node = id;
        for (int depth = 0; depth < nodes.size(); depth++) { // a cycle, which Argo never writes, ends here
            String container = containers.getOrDefault(node, text(nodes.path(node), "boundaryID"));
            if (container == null || container.equals(node)) {
                return false;
            }
            if (in(ARGO_SUCCESS, text(nodes.path(container), "phase"))) {
                return true;
            }
            node = container;
        }
        return false;
    }

    private static WorkflowObject tekton(JsonNode run, Platform platform, WorkflowKind kind) {
        JsonNode metadata = run.path("metadata");
        JsonNode labels = metadata.path("labels");
        JsonNode spec = run.path("spec");
        JsonNode status = run.path("status");
        JsonNode succeeded = condition(status, "Succeeded");
        String reason = name(text(succeeded, "reason"));
        String conditionStatus = text(succeeded, "status");
        Instant completion = time(status, "completionTime", "status.completionTime");
        PlatformOutcome outcome = "True".equals(conditionStatus)
                ? PlatformOutcome.SUCCEEDED
                : "False".equals(conditionStatus) ? PlatformOutcome.FAILED : PlatformOutcome.RUNNING;
        boolean done = outcome != PlatformOutcome.RUNNING && completion != null;
        Interruption interruption = in(TEKTON_CANCELLED, reason) || in(TEKTON_CANCELLED, text(spec, "status"))
                ? Interruption.CANCELLED
                : in(TEKTON_TIMEOUT, reason) ? Interruption.TIMED_OUT : Interruption.NONE;
        String name = required(metadata, "name");
        boolean taskRun = kind == WorkflowKind.TASK_RUN;
        return new WorkflowObject(
                platform,
                kind,
                required(metadata, "uid"),
                required(metadata, "namespace"),
                name,
                name(Text.firstNonBlank(
                        text(labels, TektonProfile.PIPELINE_LABEL),
                        text(spec.path(taskRun ? "taskRef" : "pipelineRef"), "name"),
                        taskRun ? text(labels, TektonProfile.TASK_LABEL) : null)),
                reason,
                done ? outcome : PlatformOutcome.RUNNING,
                done,
                interruption,
                time(status, "startTime", "status.startTime"),
                completion,
                ClusterText.message(text(succeeded, "message")),
                taskRun && reason != null
                        ? Map.of(
                                name,
                                new StepRecord(
                                        reason, outcome == PlatformOutcome.SUCCEEDED, TEKTON_IGNORED.equals(reason)))
                        : Map.of());
    }

    private static WorkflowObject job(JsonNode job, Platform platform) {
        JsonNode metadata = job.path("metadata");
        JsonNode status = job.path("status");
        JsonNode complete = trueCondition(status, "Complete");
        JsonNode failed = trueCondition(status, "Failed");
        JsonNode finishing = complete != null ? complete : failed;
        PlatformOutcome outcome = complete != null
                ? PlatformOutcome.SUCCEEDED
                : failed != null ? PlatformOutcome.FAILED : PlatformOutcome.RUNNING;
        Interruption interruption = complete != null
                ? Interruption.COMPLETIONS_REACHED
                : failed != null && "DeadlineExceeded".equals(text(failed, "reason"))
                        ? Interruption.TIMED_OUT
                        : Interruption.NONE;
        String name = required(metadata, "name");
        return new WorkflowObject(
                platform,
                WorkflowKind.JOB,
                required(metadata, "uid"),
                required(metadata, "namespace"),
                name,
                name(JobProfile.stem(name)),
                finishing == null ? null : name(text(finishing, "type")),
                outcome,
                finishing != null,
                interruption,
                time(status, "startTime", "status.startTime"),
                complete != null
                        ? time(status, "completionTime", "status.completionTime")
                        : failed == null
                                ? null
                                : time(failed, "lastTransitionTime", "status.conditions[].lastTransitionTime"),
                finishing == null ? null : ClusterText.message(text(finishing, "message")),
                Map.of());
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (type.equals(text(condition, "type"))) {
                return condition;
            }
        }
        return null;
    }

    private static JsonNode trueCondition(JsonNode status, String type) {
        JsonNode condition = condition(status, type);
        return condition != null && "True".equals(text(condition, "status")) ? condition : null;
    }

    /** Set.contains, which refuses null for the sets of Set.of. */
    private static boolean in(Set<String> values, String value) {
        return value != null && values.contains(value);
    }

    /** The text of a scalar field, or null when it is absent, null or not a scalar. */
    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String required(JsonNode metadata, String field) {
        String value = text(metadata, field);
        if (Text.isBlank(value)) {
            throw new MalformedWorkflowException("missing-identity", "metadata." + field + " is missing");
        }
        return name(value);
    }

    private static Instant time(JsonNode node, String field, String path) {
        return Rfc3339.parse(name(text(node, field)), path);
    }

    private static String name(String value) {
        return ClusterText.name(value);
    }
}
