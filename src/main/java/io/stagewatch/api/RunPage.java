package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of runs and the cursor of the next, null on the last page. */
@RegisterForReflection
public record RunPage(List<RunJson> items, String next) {}
