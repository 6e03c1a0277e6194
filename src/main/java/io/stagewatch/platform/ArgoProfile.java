package io.stagewatch.platform;

import io.fabric8.kubernetes.api.model.Container;
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
 * Argo Workflows step pods: one run per pod, the workflow its Argo workflow, the stage from stagewatch's label when
 * {@code podMetadata} carries it. Agent and artifact-GC pods ({@code workflows.argoproj.io/component}) are not steps.
 */
public final class ArgoProfile extends Profile {

    public static final String WORKFLOW_LABEL = "workflows.argoproj.io/workflow";
    public static final String COMPONENT_LABEL = "workflows.argoproj.io/component";
    /** Labels Argo sets on the Workflow; present on a pod only when {@code podMetadata} copies them. */
    public static final String TEMPLATE_LABEL = "workflows.argoproj.io/workflow-template";

    public static final String CRON_LABEL = "workflows.argoproj.io/cron-workflow";
    static final LabelSelector STEP_PODS = LabelSelector.parse(WORKFLOW_LABEL + ",!" + COMPONENT_LABEL);

    /**
     * {@code main} and Argo's {@code wait} (or the init-less layout's {@code supervisor}) and init containers must
     * succeed; other sidecars are killed by Argo once {@code main} ended.
     */
    static final ContainerRules MAIN = new ContainerRules() {
        @Override
        public Role role(String name, boolean init) {
            return init || "main".equals(name) || "wait".equals(name) || "supervisor".equals(name)
                    ? Role.REQUIRED
                    : Role.KILLED_AFTER;
        }

        @Override
        public boolean successMayEndFailed() {
            return true;
        }
    };

    /**
     * A container set has no {@code main}, and its containers cannot be told from sidecars on the pod: every
     * container must succeed, but the phase may still be {@code Failed} as Argo ends it.
     */
    static final ContainerRules CONTAINER_SET = new ContainerRules() {
        @Override
        public Role role(String name, boolean init) {
            return Role.REQUIRED;
        }

        @Override
        public boolean successMayEndFailed() {
            return true;
        }
    };

    private final LabelKeys keys;
    private final Stage stage;

    /**
     * @param stage the stage of pods without stagewatch's stage label
     * @param extra a further selector its pods must match, or null
     */
    public ArgoProfile(LabelKeys keys, Set<String> namespaces, Stage stage, LabelSelector extra) {
        super(
                Platform.ARGO,
                namespaces,
                List.of(Profiles.with(STEP_PODS, extra)),
                keys.with(TEMPLATE_LABEL, CRON_LABEL));
        this.keys = keys;
        this.stage = stage;
    }

    @Override
    public RunMapping map(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        Map<String, String> labels = labels(meta);
        String workflow = labels.get(WORKFLOW_LABEL);
        RunNames names = keys.names(labels);
        return new RunMapping(
                Platform.ARGO,
                stage(labels, keys.stage(), stage),
                names.withWorkflow(workflow)
                        .withPipeline(first(
                                names.pipeline(),
                                labels.get(TEMPLATE_LABEL),
                                labels.get(CRON_LABEL),
                                generatedStem(workflow),
                                workflow)),
                rules(pod));
    }

    static ContainerRules rules(Pod pod) {
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container container : pod.getSpec().getContainers()) {
                if ("main".equals(container.getName())) {
                    return MAIN;
                }
            }
        }
        return CONTAINER_SET;
    }
}
