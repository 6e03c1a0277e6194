package io.stagewatch.pipeline;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.Rfc3339;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Text;

/** Reads the run a pod carries from its metadata, with the configured label keys. */
@ApplicationScoped
public class PodReader {

    private static final Logger LOG = Logger.getLogger(PodReader.class);

    private final StagewatchConfig.Labels labels;
    private final String notifyAnnotation;
    private final RecipientPolicy policy;
    private final Counter invalidRecipients;
    private final Map<RecipientPolicy.Refusal, Counter> refusedRecipients = new EnumMap<>(RecipientPolicy.Refusal.class);
    private final OncePerKey warned = new OncePerKey();

    public PodReader(StagewatchConfig config, RecipientPolicy policy, MeterRegistry registry) {
        this.labels = config.labels();
        this.notifyAnnotation = config.annotations().notifyRecipients();
        this.policy = policy;
        this.invalidRecipients = Counter.builder("stagewatch.notify.recipients.invalid")
                .description("Addresses in a pod's notify annotation that are not valid, skipped (counted once per pod)")
                .register(registry);
        for (RecipientPolicy.Refusal why : RecipientPolicy.Refusal.values()) {
            refusedRecipients.put(why, Counter.builder("stagewatch.notify.recipients.refused")
                    .description("Recipients of a pod's notify annotation refused by stagewatch.notify.* (counted once "
                            + "per pod): namespace not allowed, domain not allowed, too many")
                    .tag("why", why.tag())
                    .register(registry));
        }
    }

    /** @throws MalformedPodException when the pod lacks its identity or names an unknown stage */
    public RunAttributes read(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        if (meta == null || Text.isBlank(meta.getUid()) || Text.isBlank(meta.getName())
                || Text.isBlank(meta.getNamespace())) {
            throw new MalformedPodException("missing-identity", "the pod has no uid, name or namespace");
        }
        Map<String, String> podLabels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String stageValue = podLabels.get(labels.stage());
        Stage stage = Stage.fromLabel(stageValue).orElseThrow(() -> new MalformedPodException("unknown-stage",
                "label " + labels.stage() + " has the unknown value '" + stageValue + "'"));
        String workflow = podLabels.get(labels.workflow());
        return new RunAttributes(
                meta.getUid(),
                meta.getNamespace(),
                meta.getName(),
                Text.isBlank(workflow) ? meta.getName() : workflow,
                podLabels.get(labels.pipeline()),
                podLabels.get(labels.app()),
                podLabels.get(labels.environment()),
                stage,
                Rfc3339.parse(meta.getCreationTimestamp(), "metadata.creationTimestamp"),
                meta.getResourceVersion(),
                recipients(meta));
    }

    /**
     * The recipients the notify annotation may have, by the recipient policy. Invalid and refused addresses are
     * counted, once per pod (a pod is read again at every resync and reconcile pass), and logged in one line that
     * names no address.
     */
    private List<String> recipients(ObjectMeta meta) {
        String value = meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        if (Text.isBlank(value)) {
            return List.of();
        }
        RecipientPolicy.Admitted admitted = policy.admit(meta.getNamespace(), value);
        if (!admitted.complete() && warned.first(meta.getUid())) {
            invalidRecipients.increment(admitted.invalid());
            admitted.refused().forEach((why, count) -> refusedRecipients.get(why).increment(count));
            LOG.warnf("Pod %s/%s: annotation %s: %d invalid addresses skipped, recipients refused: %s (limits: "
                    + "stagewatch.notify.*)", meta.getNamespace(), meta.getName(), notifyAnnotation, admitted.invalid(),
                    admitted.refused().isEmpty() ? "none" : refusals(admitted.refused()));
        }
        return admitted.recipients();
    }

    private static String refusals(Map<RecipientPolicy.Refusal, Integer> refused) {
        StringBuilder text = new StringBuilder();
        refused.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> text
                .append(text.length() == 0 ? "" : ", ").append(entry.getValue()).append(' ').append(entry.getKey().tag()));
        return text.toString();
    }
}
