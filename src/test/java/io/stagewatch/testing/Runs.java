package io.stagewatch.testing;

import io.stagewatch.run.Platform;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.Stage;
import java.time.Instant;
import java.util.List;

/** Runs of no pod, for the tests that record them straight through the store: the one place they are built. */
public final class Runs {

    /** The test profile's {@code stagewatch.cluster.name}: the cluster of the runs the test application records. */
    public static final String CLUSTER = "east";

    private Runs() {}

    /**
     * A CI run of {@code platform} in the test application's cluster, first seen now, called {@code workflow} in
     * {@code pipeline} (no other name), at resource version 1, whose pod asks to notify {@code recipients}.
     */
    public static RunAttributes attributes(
            String uid,
            String namespace,
            String pod,
            String workflow,
            String pipeline,
            Platform platform,
            List<String> recipients) {
        return attributes(uid, namespace, pod, workflow, pipeline, platform, recipients, CLUSTER);
    }

    /** {@link #attributes(String, String, String, String, String, Platform, List)} of a pod of {@code cluster}. */
    public static RunAttributes attributes(
            String uid,
            String namespace,
            String pod,
            String workflow,
            String pipeline,
            Platform platform,
            List<String> recipients,
            String cluster) {
        return new RunAttributes(
                uid,
                namespace,
                pod,
                RunNames.NONE.withWorkflow(workflow).withPipeline(pipeline).withCluster(cluster),
                Stage.CI,
                platform,
                Instant.now(),
                "1",
                recipients,
                null);
    }
}
