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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pods of Kubernetes Jobs that match the configured selector (opt-in: without one, ordinary Jobs are never swept in).
 * One run per pod; the workflow is the Job, the pipeline a configured label or the Job name's stem; every container
 * must succeed.
 */
public final class JobProfile extends Profile {

    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    /** A CronJob names its Jobs {@code <cronjob>-<scheduled minute>}. */
    private static final Pattern SCHEDULED_SUFFIX = Pattern.compile("^(.+)-\\d+$");

    private final LabelKeys keys;
    private final Stage stage;
    private final String pipelineLabel;

    /**
     * @param selector      the pods to watch (required); the API server filters by it alone, and only the pods of
     *                      Jobs among them (with {@value #JOB_NAME_LABEL}) are claimed
     * @param pipelineLabel the label naming the pipeline, or null for the Job name's stem
     */
    public JobProfile(
            LabelKeys keys, Set<String> namespaces, Stage stage, LabelSelector selector, String pipelineLabel) {
        super(
                Platform.JOB,
                namespaces,
                List.of(selector),
                pipelineLabel == null ? keys.with(JOB_NAME_LABEL) : keys.with(JOB_NAME_LABEL, pipelineLabel));
        this.keys = keys;
        this.stage = stage;
        this.pipelineLabel = pipelineLabel;
    }

    @Override
    protected Claim refine(ObjectMeta meta, Map<String, String> labels) {
        return labels.containsKey(JOB_NAME_LABEL) ? Claim.RUN : Claim.NONE;
    }

    @Override
    public RunMapping map(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        Map<String, String> labels = labels(meta);
        String job = labels.get(JOB_NAME_LABEL);
        RunNames names = keys.names(labels);
        return new RunMapping(
                Platform.JOB,
                stage(labels, keys.stage(), stage),
                names.withWorkflow(job)
                        .withPipeline(first(
                                pipelineLabel == null ? null : labels.get(pipelineLabel), names.pipeline(), stem(job))),
                ContainerRules.ALL);
    }

    /** {@code nightly-29012345} → {@code nightly}, {@code build-x7k2p} → {@code build}; else the name itself. */
    public static String stem(String job) {
        Matcher scheduled = SCHEDULED_SUFFIX.matcher(job);
        if (scheduled.matches()) {
            return scheduled.group(1);
        }
        return first(generatedStem(job), job);
    }
}
