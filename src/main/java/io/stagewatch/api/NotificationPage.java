package io.stagewatch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of notifications and the cursor of the next, null on the last page. */
@RegisterForReflection
public record NotificationPage(List<NotificationJson> items, String next) {}
