package io.stagewatch.platform;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.ContainerRules;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.Stage;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tekton TaskRun pods (the affinity-assistant pods carry no {@code tekton.dev/taskRun}): one run per pod, so a
 * TaskRun whose pod Tekton recreated shows each attempt. The workflow is the PipelineRun, the pipeline the Pipeline.
 */
public final class TektonProfile extends Profile {

    public static final String TASK_RUN_LABEL = "tekton.dev/taskRun";
    public static final String PIPELINE_RUN_LABEL = "tekton.dev/pipelineRun";
    public static final String PIPELINE_LABEL = "tekton.dev/pipeline";
    public static final String TASK_LABEL = "tekton.dev/task";

    /** Every {@code step-*} container and Tekton's init containers must succeed; sidecars never count. */
    static final ContainerRules RULES = new ContainerRules() {
        @Override
        public Role role(String name, boolean init) {
            return init || name.startsWith("step-") ? Role.REQUIRED : Role.IGNORED;
        }

        @Override
        public boolean successMayEndFailed() {
            // a sidecar Tekton stopped after the last step may end the pod Failed: Tekton called it done already
            return true;
        }
    };

    private final LabelKeys keys;
    private final Stage stage;

    public TektonProfile(LabelKeys keys, Set<String> namespaces, Stage stage, LabelSelector extra) {
        super(
                Platform.TEKTON,
                namespaces,
                List.of(Profiles.with(LabelSelector.parse(TASK_RUN_LABEL), extra)),
                keys.with(PIPELINE_RUN_LABEL, PIPELINE_LABEL, TASK_LABEL));
        this.keys = keys;
        this.stage = stage;
    }

    @Override
    public RunMapping map(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        Map<String, String> labels = labels(meta);
        String taskRun = labels.get(TASK_RUN_LABEL);
        RunNames names = keys.names(labels);
        return new RunMapping(
                Platform.TEKTON,
                stage(labels, keys.stage(), stage),
                names.withWorkflow(first(labels.get(PIPELINE_RUN_LABEL), taskRun))
                        .withPipeline(
                                first(names.pipeline(), labels.get(PIPELINE_LABEL), labels.get(TASK_LABEL), taskRun)),
                RULES);
    }
}
