package io.stagewatch.platform;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.ContainerRules;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.Stage;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pods that carry stagewatch's own labels, whatever made them: the stage label is required, every container must
 * succeed.
 */
public final class StagewatchProfile extends Profile {

    private final LabelKeys keys;

    /** @param extra a further selector its pods must match, or null */
    public StagewatchProfile(LabelKeys keys, Set<String> namespaces, LabelSelector extra) {
        super(
                Platform.STAGEWATCH,
                namespaces,
                List.of(Profiles.with(LabelSelector.parse(keys.stage()), extra)),
                keys.all());
        this.keys = keys;
    }

    @Override
    public RunMapping map(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        Map<String, String> labels = labels(meta);
        Stage stage = stage(labels, keys.stage(), null);
        if (stage == null) {
            throw new MalformedPodException("unknown-stage", "label " + keys.stage() + " is missing");
        }
        RunNames names = keys.names(labels);
        return new RunMapping(
                Platform.STAGEWATCH,
                stage,
                names.withWorkflow(first(names.workflow(), meta.getName())),
                ContainerRules.ALL);
    }
}
