package io.stagewatch.run;

import java.time.Instant;

/** What a pod tells about the run it carries, apart from its status. */
public record RunAttributes(
        String uid,
        String namespace,
        String pod,
        String workflow,
        String pipeline,
        String app,
        String environment,
        Stage stage,
        Instant createdAt,
        String resourceVersion) {
}
