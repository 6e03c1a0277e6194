package io.stagewatch.run;

import java.time.Instant;
import java.util.List;

/**
 * What a pod tells about the run it carries, apart from its status.
 *
 * @param recipients the valid addresses of the pod's notify annotation, normalized
 * @param node       the node the pod was scheduled to ({@code spec.nodeName}), null before
 */
public record RunAttributes(
        String uid,
        String namespace,
        String pod,
        RunNames names,
        Stage stage,
        Platform platform,
        Instant createdAt,
        String resourceVersion,
        List<String> recipients,
        String node) {}
