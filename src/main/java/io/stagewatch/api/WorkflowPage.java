package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of workflows and the cursor of the next, null on the last page. */
@RegisterForReflection
public record WorkflowPage(List<WorkflowJson> items, String next) {}
