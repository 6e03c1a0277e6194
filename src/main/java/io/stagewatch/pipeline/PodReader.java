package io.stagewatch.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.EmailAddress;
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
    private final Counter invalidRecipients;
    private final OncePerKey warned = new OncePerKey();

    public PodReader(StagewatchConfig config, MeterRegistry registry) {
        this.labels = config.labels();
        this.notifyAnnotation = config.annotations().notifyRecipients();
        this.invalidRecipients = Counter.builder("stagewatch.notify.recipients.invalid")
                .description("Addresses in a pod's notify annotation that are not valid, skipped")
                .register(registry);
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

    /** The valid addresses of the notify annotation; invalid ones are counted and skipped, with one warning per pod. */
    private List<String> recipients(ObjectMeta meta) {
        String value = meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        if (Text.isBlank(value)) {
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        for (String address : value.split(",")) {
            if (address.isBlank()) {
                continue;
            }
            if (EmailAddress.isValid(address.trim())) {
                String normalized = EmailAddress.normalize(address);
                if (!valid.contains(normalized)) {
                    valid.add(normalized);
                }
            } else {
                invalidRecipients.increment();
                if (warned.first(meta.getUid())) {
                    LOG.warnf("Pod %s/%s: skipping invalid addresses in annotation %s", meta.getNamespace(),
                            meta.getName(), notifyAnnotation);
                }
            }
        }
        return List.copyOf(valid);
    }
}
