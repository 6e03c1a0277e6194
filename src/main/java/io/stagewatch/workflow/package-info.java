/**
 * Domain: workflows, pure (no Quarkus, no Kubernetes client, no I/O): what stagewatch keeps of a platform's workflow
 * object ({@code WorkflowObject}: an Argo Workflow, a Tekton PipelineRun or TaskRun, a Kubernetes Job) and
 * {@code WorkflowJudge}, which turns that object and the truthful verdicts of its runs into one verdict per workflow,
 * with the platform's own word beside it.
 */
package io.stagewatch.workflow;
