package io.stagewatch.platform;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.stagewatch.run.Platform;
import io.stagewatch.workflow.Step;
import io.stagewatch.workflow.WorkflowKind;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links a run to its workflow by the platform's own labels, annotations and owner references, the ones its controller
 * writes on every pod (see {@code docs/platforms.md}): Argo's {@code workflows.argoproj.io/workflow} label with the
 * {@code node-name} and {@code node-id} annotations, Tekton's {@code tekton.dev/pipelineRun}, {@code taskRun} and
 * {@code pipelineTask} labels, a Job's {@code batch.kubernetes.io/controller-uid} label and completion index. A Devtron
 * run is linked as the object its executor made: an Argo Workflow (AWF) or a Job (SYSTEM). A run of the
 * {@code stagewatch} profile has no workflow object.
 */
public final class WorkflowLinks {

    public static final String ARGO_NODE_NAME = "workflows.argoproj.io/node-name";
    public static final String ARGO_NODE_ID = "workflows.argoproj.io/node-id";
    public static final String TEKTON_PIPELINE_TASK = "tekton.dev/pipelineTask";
    public static final String TEKTON_PIPELINE_RUN_UID = "tekton.dev/pipelineRunUID";
    public static final String TEKTON_TASK_RUN_UID = "tekton.dev/taskRunUID";
    public static final String JOB_CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    public static final String JOB_COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    /** The labels Jobs wrote before Kubernetes 1.27, still written beside the prefixed ones. */
    static final String LEGACY_CONTROLLER_UID = "controller-uid";

    static final String LEGACY_JOB_NAME = "job-name";

    /** Argo names the attempts of a retried node {@code <node>(0)}, {@code <node>(1)}, ... */
    private static final Pattern ARGO_RETRY = Pattern.compile("^(.*)\\((\\d+)\\)$");
    /** Tekton names the pod of a TaskRun's N-th retry {@code <taskrun>-pod-retry<N>}. */
    private static final Pattern TEKTON_RETRY = Pattern.compile("-retry(\\d+)$");

    private WorkflowLinks() {}

    /** The workflow of a pod the profile of {@code platform} claimed; empty when the pod names none. */
    public static Optional<WorkflowLink> of(Platform platform, ObjectMeta pod) {
        Map<String, String> labels = Profile.labels(pod);
        return switch (platform) {
            case ARGO -> argo(pod, labels);
            case TEKTON -> tekton(pod, labels);
            case JOB -> job(pod, labels);
            case DEVTRON -> labels.containsKey(ArgoProfile.WORKFLOW_LABEL) ? argo(pod, labels) : job(pod, labels);
            case STAGEWATCH -> Optional.empty();
        };
    }

    private static Optional<WorkflowLink> argo(ObjectMeta pod, Map<String, String> labels) {
        String workflow = labels.get(ArgoProfile.WORKFLOW_LABEL);
        if (workflow == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = Profile.annotations(pod);
        String nodeId = annotations.get(ARGO_NODE_ID);
        String nodeName = annotations.get(ARGO_NODE_NAME);
        Step step;
        if (nodeName == null) {
            String key = nodeId == null ? pod.getName() : nodeId;
            step = new Step(key, pod.getName(), 0, nodeId);
        } else {
            Matcher retry = ARGO_RETRY.matcher(nodeName);
            boolean retried = retry.matches();
            String node = retried ? retry.group(1) : nodeName;
            step = new Step(node, displayName(node, workflow), retried ? attempt(retry.group(2)) : 0, nodeId);
        }
        return Optional.of(
                new WorkflowLink(WorkflowKind.WORKFLOW, pod.getNamespace(), workflow, owner(pod, "Workflow"), step));
    }

    /**
     * The last part of an Argo node name ({@code wf[0].build} → {@code build}, {@code wf.onExit} → {@code onExit}),
     * the dots inside a loop item's parentheses left alone; the workflow's own name for its entry node.
     */
    static String displayName(String node, String workflow) {
        int depth = 0;
        for (int i = node.length() - 1; i >= 0; i--) {
            char c = node.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                depth--;
            } else if (c == '.' && depth == 0 && i < node.length() - 1) {
                return node.substring(i + 1);
            }
        }
        return node.equals(workflow) ? workflow : node;
    }

    private static Optional<WorkflowLink> tekton(ObjectMeta pod, Map<String, String> labels) {
        String taskRun = labels.get(TektonProfile.TASK_RUN_LABEL);
        if (taskRun == null) {
            return Optional.empty();
        }
        Matcher retry = TEKTON_RETRY.matcher(pod.getName() == null ? "" : pod.getName());
        Step step = new Step(
                taskRun,
                Profile.first(labels.get(TEKTON_PIPELINE_TASK), taskRun),
                retry.find() ? attempt(retry.group(1)) : 0,
                taskRun);
        String pipelineRun = labels.get(TektonProfile.PIPELINE_RUN_LABEL);
        if (pipelineRun != null) {
            return Optional.of(new WorkflowLink(
                    WorkflowKind.PIPELINE_RUN,
                    pod.getNamespace(),
                    pipelineRun,
                    labels.get(TEKTON_PIPELINE_RUN_UID),
                    step));
        }
        return Optional.of(new WorkflowLink(
                WorkflowKind.TASK_RUN,
                pod.getNamespace(),
                taskRun,
                Profile.first(labels.get(TEKTON_TASK_RUN_UID), owner(pod, "TaskRun")),
                step));
    }

    private static Optional<WorkflowLink> job(ObjectMeta pod, Map<String, String> labels) {
        String uid =
                Profile.first(labels.get(JOB_CONTROLLER_UID), labels.get(LEGACY_CONTROLLER_UID), owner(pod, "Job"));
        String name = Profile.first(labels.get(JobProfile.JOB_NAME_LABEL), labels.get(LEGACY_JOB_NAME));
        if (uid == null || name == null) {
            return Optional.empty();
        }
        String index =
                Profile.first(Profile.annotations(pod).get(JOB_COMPLETION_INDEX), labels.get(JOB_COMPLETION_INDEX));
        Step step = index == null ? new Step("", name, 0, null) : new Step(index, "index " + index, 0, null);
        return Optional.of(new WorkflowLink(WorkflowKind.JOB, pod.getNamespace(), name, uid, step));
    }

    /** The UID of the pod's owner of that kind, or null. */
    private static String owner(ObjectMeta pod, String kind) {
        if (pod.getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference owner : pod.getOwnerReferences()) {
            if (kind.equals(owner.getKind())) {
                return owner.getUid();
            }
        }
        return null;
    }

    /** A retry number; one too large for an int counts as the last. */
    private static int attempt(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
