package io.stagewatch.workflow;

/** The kind of a platform's workflow object, and the controller that writes its status. */
public enum WorkflowKind {
    WORKFLOW("Workflow", "Argo"),
    PIPELINE_RUN("PipelineRun", "Tekton"),
    TASK_RUN("TaskRun", "Tekton"),
    JOB("Job", "the Job controller");

    private final String kind;
    private final String controller;

    WorkflowKind(String kind, String controller) {
        this.kind = kind;
        this.controller = controller;
    }

    /** The object's {@code kind}, as the API server names it and the API shows it. */
    public String kind() {
        return kind;
    }

    /** Who decides the object's status, in a message: "Argo reported Succeeded". */
    public String controller() {
        return controller;
    }
}
