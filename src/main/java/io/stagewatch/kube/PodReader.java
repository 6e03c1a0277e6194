package io.stagewatch.kube;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.RunAttributes;
import io.stagewatch.run.Stage;

/** Reads the run a pod carries from its metadata, with the configured label keys. */
@ApplicationScoped
public class PodReader {

    private final StagewatchConfig.Labels labels;

    public PodReader(StagewatchConfig config) {
        this.labels = config.labels();
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
                meta.getResourceVersion());
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
