package io.stagewatch.testing;

import io.stagewatch.run.Platform;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.Stage;
import java.time.Instant;
import java.util.List;

/** Runs of no pod, for the tests that record them straight through the store: the one place they are built. */
public final class Runs {

    private Runs() {}

    /**
     * A CI run of {@code platform}, first seen now, called {@code workflow} in {@code pipeline} (no other name), at
     * resource version 1, whose pod asks to notify {@code recipients}.
     */
    public static RunAttributes attributes(
            String uid,
            String namespace,
            String pod,
            String workflow,
            String pipeline,
            Platform platform,
            List<String> recipients) {
        return new RunAttributes(
                uid,
                namespace,
                pod,
                RunNames.NONE.withWorkflow(workflow).withPipeline(pipeline),
                Stage.CI,
                platform,
                Instant.now(),
                "1",
                recipients,
                null);
    }
}
