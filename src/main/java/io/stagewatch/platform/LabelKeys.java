package io.stagewatch.platform;

import io.stagewatch.run.RunNames;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The keys of stagewatch's own labels ({@code stagewatch.labels.*}), which any platform's pods may carry too. */
public record LabelKeys(String stage, String workflow, String pipeline, String app, String environment) {

    /** Every key. */
    public Set<String> all() {
        return Set.of(stage, workflow, pipeline, app, environment);
    }

    /** Every key, and {@code others}. */
    public Set<String> with(String... others) {
        Set<String> keys = new HashSet<>(all());
        keys.addAll(List.of(others));
        return keys;
    }

    /**
     * The names stagewatch's labels give a run, each null where its label is absent; a profile then sets those its
     * platform names otherwise.
     */
    public RunNames names(Map<String, String> labels) {
        return new RunNames(labels.get(workflow), labels.get(pipeline), labels.get(app), labels.get(environment), null);
    }
}
