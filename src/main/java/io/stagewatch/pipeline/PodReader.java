package io.stagewatch.pipeline;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.EmailAddress;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.Stage;

/** Reads the run a pod carries from its metadata, with the configured label keys. */
@ApplicationScoped
public class PodReader {

    private static final Logger LOG = Logger.getLogger(PodReader.class);
    private static final int MAX_WARNED = 10_000;

    private final StagewatchConfig.Labels labels;
    private final String notifyAnnotation;
    private final Counter invalidRecipients;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

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
        if (meta == null || isBlank(meta.getUid()) || isBlank(meta.getName()) || isBlank(meta.getNamespace())) {
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
                isBlank(workflow) ? meta.getName() : workflow,
                podLabels.get(labels.pipeline()),
                podLabels.get(labels.app()),
                podLabels.get(labels.environment()),
                stage,
                createdAt(meta.getCreationTimestamp()),
                meta.getResourceVersion(),
                recipients(meta));
    }

    /** The valid addresses of the notify annotation; invalid ones are counted and skipped, with one warning per pod. */
    private List<String> recipients(ObjectMeta meta) {
        String value = meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        if (value == null || value.isBlank()) {
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
                if (warned.size() > MAX_WARNED) {
                    warned.clear();
                }
                if (warned.add(meta.getUid())) {
                    LOG.warnf("Pod %s/%s: skipping invalid addresses in annotation %s", meta.getNamespace(),
                            meta.getName(), notifyAnnotation);
                }
            }
        }
        return List.copyOf(valid);
    }

    private static Instant createdAt(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedPodException("bad-timestamp", "metadata.creationTimestamp is not an RFC 3339 time: " + value);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
