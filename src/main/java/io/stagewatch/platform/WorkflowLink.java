package io.stagewatch.platform;

import io.stagewatch.workflow.Step;
import io.stagewatch.workflow.WorkflowKind;

/**
 * The workflow a run belongs to, and which step of it the run is, as its pod says.
 *
 * @param name the object's name, in the pod's namespace
 * @param uid  the object's UID when the pod names it (an owner reference or a label), else null: then the object is
 *             found by kind, namespace and name
 */
public record WorkflowLink(WorkflowKind kind, String namespace, String name, String uid, Step step) {}
