package io.stagewatch.pipeline;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.platform.RunMapping;
import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.run.ContainerRules;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.Rfc3339;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.Text;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Reads the run a pod carries from its metadata, through the profile that claims it. */
@ApplicationScoped
public class PodReader {

    private static final Logger LOG = Logger.getLogger(PodReader.class);

    private final Profiles profiles;
    private final String cluster;
    private final String notifyAnnotation;
    private final RecipientPolicy policy;
    private final PipelineMetrics metrics;
    private final OncePerKey warned = new OncePerKey();

    /**
     * A pod's run, and the rules its containers are judged by.
     *
     * @param workflow the workflow the run is a step of, as the slim pod carries it ({@link WorkflowLink#carried}),
     *                 or null: none, or one the pod does not name by UID, which is not recorded
     */
    public record Reading(RunAttributes attributes, ContainerRules rules, WorkflowLink workflow) {}

    public PodReader(StagewatchConfig config, Profiles profiles, RecipientPolicy policy, PipelineMetrics metrics) {
        this.profiles = profiles;
        this.cluster = config.cluster().name();
        this.notifyAnnotation = config.annotations().notifyRecipients();
        this.policy = policy;
        this.metrics = metrics;
    }

    /**
     * @throws MalformedPodException when the pod lacks its identity, no enabled profile claims it, or its profile
     *                               cannot tell its stage
     */
    public Reading read(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        if (meta == null
                || Text.isBlank(meta.getUid())
                || Text.isBlank(meta.getName())
                || Text.isBlank(meta.getNamespace())) {
            throw new MalformedPodException("missing-identity", "the pod has no uid, name or namespace");
        }
        Profile profile = profiles.claimant(meta);
        if (profile == null) {
            throw new MalformedPodException("unclaimed", "no enabled profile claims the pod");
        }
        RunMapping run = profile.map(pod);
        return new Reading(
                new RunAttributes(
                        meta.getUid(),
                        meta.getNamespace(),
                        meta.getName(),
                        run.names().withCluster(cluster),
                        run.stage(),
                        run.platform(),
                        Rfc3339.parse(meta.getCreationTimestamp(), "metadata.creationTimestamp"),
                        meta.getResourceVersion(),
                        recipients(meta),
                        pod.getSpec() == null ? null : pod.getSpec().getNodeName()),
                run.rules(),
                workflow(meta));
    }

    private static WorkflowLink workflow(ObjectMeta meta) {
        WorkflowLink link = WorkflowLink.carried(meta.getNamespace(), meta.getAnnotations());
        return link == null || Text.isBlank(link.uid()) ? null : link;
    }

    /**
     * The recipients the notify annotation may have, by the recipient policy. Invalid and refused addresses are
     * counted, once per pod (a pod is read again at every resync and reconcile pass), and logged in one line that
     * names no address.
     */
    private List<String> recipients(ObjectMeta meta) {
        String value =
                meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        if (Text.isBlank(value)) {
            return List.of();
        }
        RecipientPolicy.Admitted admitted = policy.admit(meta.getNamespace(), value);
        if (!admitted.complete() && warned.first(meta.getUid())) {
            metrics.recipientsSkipped(admitted.invalid(), admitted.refused());
            LOG.warnf(
                    "Pod %s/%s: annotation %s: %d invalid addresses skipped, recipients refused: %s (limits: "
                            + "stagewatch.notify.*)",
                    meta.getNamespace(),
                    meta.getName(),
                    notifyAnnotation,
                    admitted.invalid(),
                    admitted.refused().isEmpty() ? "none" : refusals(admitted.refused()));
        }
        return admitted.recipients();
    }

    private static String refusals(Map<RecipientPolicy.Refusal, Integer> refused) {
        StringBuilder text = new StringBuilder();
        refused.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> text.append(text.length() == 0 ? "" : ", ")
                        .append(entry.getValue())
                        .append(' ')
                        .append(entry.getKey().tag()));
        return text.toString();
    }
}
