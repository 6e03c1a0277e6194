package io.stagewatch.platform;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.ContainerRules;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunNames;
import io.stagewatch.run.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Devtron's CI, Pre-CD and Post-CD pods, under both executors:
 * <ul>
 * <li>SYSTEM (a Kubernetes Job): {@code devtron.ai/purpose=workflow} with {@code workflowType} {@code ci} or {@code cd}
 * ({@code devtron.ai/workflow-purpose} is {@code cd} on every such pod and is never read);</li>
 * <li>AWF (an Argo Workflow, Devtron's default): only Argo's labels; every Argo step pod in Devtron's namespaces is
 * Devtron's, and the one whose {@code main} container carries {@code CI_CD_EVENT} runs the stage (the others create
 * the workflow's ConfigMaps and Secrets, and are not runs).</li>
 * </ul>
 * Stage, pipeline, app and environment come from the whitelisted fields of {@code CI_CD_EVENT} ({@link DevtronEvent}),
 * which stagewatch's slim copy of the pod carries as annotations; a CD pod whose event does not say PRE or POST is
 * skipped and counted, not guessed. Containers: a SYSTEM pod has only {@code main}, which must succeed; an AWF pod
 * follows Argo's rules ({@code main} and {@code wait}).
 */
public final class DevtronProfile extends Profile {

    static final String PURPOSE_LABEL = "devtron.ai/purpose";
    static final String WORKFLOW_TYPE_LABEL = "workflowType";
    static final String OWNER_INSTANCE_LABEL = "devtron.ai/owner-instance";
    static final String NAME_PREFIX_LABEL = "devtron.ai/generate-name-prefix";
    /** CI: {@code <ciWorkflowId>-<ciPipelineName>-<ciPipelineId>}; CD: {@code <cdWorkflowRunnerId>-<cdPipelineName>}. */
    private static final Pattern CI_PREFIX = Pattern.compile("^\\d+-(.+)-\\d+$");

    private static final Pattern CD_PREFIX = Pattern.compile("^\\d+-(.+)$");

    private final LabelSelector system;

    /** @param ownerInstance the Devtron installation (UCID) whose SYSTEM pods are watched, or null for any */
    public DevtronProfile(Set<String> namespaces, String ownerInstance) {
        super(
                Platform.DEVTRON,
                namespaces,
                selectors(ownerInstance),
                Set.of(NAME_PREFIX_LABEL, ArgoProfile.WORKFLOW_LABEL));
        this.system = selectors().get(0);
    }

    private static List<LabelSelector> selectors(String ownerInstance) {
        List<LabelSelector> selectors = new ArrayList<>();
        selectors.add(LabelSelector.parse(PURPOSE_LABEL + "=workflow," + WORKFLOW_TYPE_LABEL
                + (ownerInstance == null ? "" : "," + OWNER_INSTANCE_LABEL + "=" + ownerInstance)));
        selectors.add(ArgoProfile.STEP_PODS);
        return selectors;
    }

    @Override
    protected Claim refine(ObjectMeta meta, Map<String, String> labels) {
        if (system.matches(labels)) {
            String type = labels.get(WORKFLOW_TYPE_LABEL);
            return "ci".equals(type) || "cd".equals(type) ? Claim.RUN : Claim.NONE;
        }
        return annotations(meta).get(DevtronEvent.READ) != null ? Claim.RUN : Claim.IGNORE;
    }

    @Override
    public RunMapping map(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        Map<String, String> labels = labels(meta);
        Map<String, String> event = annotations(meta);
        boolean readable = "ok".equals(event.get(DevtronEvent.READ));
        boolean awf = !system.matches(labels);
        String type = awf ? eventType(event, readable) : labels.get(WORKFLOW_TYPE_LABEL);
        Stage stage = "ci".equals(type) ? Stage.CI : cdStage(event, readable);
        String prefix = awf
                ? first(
                        event.get(DevtronEvent.WORKFLOW_NAME_PREFIX),
                        generatedStem(labels.get(ArgoProfile.WORKFLOW_LABEL)))
                : first(labels.get(NAME_PREFIX_LABEL), event.get(DevtronEvent.WORKFLOW_NAME_PREFIX));
        return new RunMapping(
                Platform.DEVTRON,
                stage,
                RunNames.NONE
                        .withWorkflow(first(prefix, meta.getName()))
                        .withPipeline(first(event.get(DevtronEvent.PIPELINE_NAME), pipeline(prefix, stage)))
                        .withApp(event.get(DevtronEvent.APP_NAME))
                        .withEnvironment(event.get(DevtronEvent.ENVIRONMENT_NAME)),
                awf ? ArgoProfile.MAIN : ContainerRules.ALL);
    }

    /** {@code ci} or {@code cd} from the event's type ({@code CI}, {@code JOB}, {@code CD}). */
    private static String eventType(Map<String, String> event, boolean readable) {
        if (!readable) {
            throw new MalformedPodException(
                    "devtron-event-unreadable",
                    "its " + DevtronEvent.VARIABLE + " is not the JSON object Devtron writes; the stage is unknown");
        }
        String type = event.get(DevtronEvent.TYPE);
        if ("CI".equals(type) || "JOB".equals(type)) {
            return "ci";
        }
        if ("CD".equals(type)) {
            return "cd";
        }
        throw new MalformedPodException(
                "devtron-stage-unknown",
                "its " + DevtronEvent.VARIABLE + " names no known type (CI, JOB, CD); the stage is unknown");
    }

    private static Stage cdStage(Map<String, String> event, boolean readable) {
        if (!readable) {
            throw new MalformedPodException(
                    "devtron-event-unreadable",
                    "its " + DevtronEvent.VARIABLE
                            + " is not the JSON object Devtron writes; PRE or POST CD is unknown");
        }
        String stageType = event.get(DevtronEvent.STAGE_TYPE);
        if ("PRE".equals(stageType)) {
            return Stage.PRE_CD;
        }
        if ("POST".equals(stageType)) {
            return Stage.POST_CD;
        }
        throw new MalformedPodException(
                "devtron-stage-unknown",
                "its " + DevtronEvent.VARIABLE + " has no stageType PRE or POST; the CD stage is unknown");
    }

    /** The pipeline name inside the workflow name prefix, or null. */
    private static String pipeline(String prefix, Stage stage) {
        if (prefix == null) {
            return null;
        }
        Matcher matcher = (stage == Stage.CI ? CI_PREFIX : CD_PREFIX).matcher(prefix);
        return matcher.matches() ? matcher.group(1) : null;
    }
}
