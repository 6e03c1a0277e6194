package io.stagewatch.kube;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.platform.DevtronEvent;
import io.stagewatch.platform.Profiles;
import io.stagewatch.run.Platform;

/**
 * Copies of pods that hold only what stagewatch decides on: identity, labels, the annotations it reads, finalizers
 * and deletion times; container names (and init containers' restart policy); phase, reason, message, conditions and
 * container states. No managedFields, env values, volumes, images or other annotations: they cost 10-20 KB a pod in
 * the informer cache and the observation queue, and CI systems pass secrets in env values that must not live in
 * stagewatch's memory. The one env value read is Devtron's {@code CI_CD_EVENT} (when the devtron profile is enabled):
 * here, before anything is retained, only its whitelisted fields are taken from it ({@link DevtronEvent}), and the
 * slim copy carries them as annotations.
 */
@ApplicationScoped
public class SlimPods {

    private final String notifyAnnotation;
    private final boolean devtron;

    @Inject
    public SlimPods(StagewatchConfig config, Profiles profiles) {
        this(config.annotations().notifyRecipients(),
                profiles.enabled().stream().anyMatch(profile -> profile.platform() == Platform.DEVTRON));
    }

    /**
     * @param notifyAnnotation the annotation with extra recipients, kept
     * @param devtron          true when the devtron profile is enabled: then Devtron's event is read
     */
    public SlimPods(String notifyAnnotation, boolean devtron) {
        this.notifyAnnotation = notifyAnnotation;
        this.devtron = devtron;
    }

    public Pod slim(Pod pod) {
        PodBuilder slim = new PodBuilder().withMetadata(metadata(pod.getMetadata(), devtronEvent(pod)));
        if (pod.getSpec() != null) {
            slim.withNewSpec()
                    .withContainers(containers(pod.getSpec().getContainers()))
                    .withInitContainers(containers(pod.getSpec().getInitContainers()))
                    .endSpec();
        }
        if (pod.getStatus() != null) {
            slim.withStatus(status(pod.getStatus()));
        }
        return slim.build();
    }

    /** The whitelisted fields of Devtron's event in the pod's {@code main} container, or null when there is none. */
    private Map<String, String> devtronEvent(Pod pod) {
        if (!devtron || pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        for (Container container : pod.getSpec().getContainers()) {
            if ("main".equals(container.getName()) && container.getEnv() != null) {
                for (EnvVar variable : container.getEnv()) {
                    if (DevtronEvent.VARIABLE.equals(variable.getName()) && variable.getValue() != null) {
                        return DevtronEvent.read(variable.getValue());
                    }
                }
            }
        }
        return null;
    }

    private ObjectMeta metadata(ObjectMeta meta, Map<String, String> devtronEvent) {
        if (meta == null) {
            return null;
        }
        String recipients = meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        Map<String, String> annotations = null;
        if (recipients != null || devtronEvent != null) {
            annotations = new HashMap<>();
            if (devtronEvent != null) {
                annotations.putAll(devtronEvent);
            }
            if (recipients != null) {
                annotations.put(notifyAnnotation, recipients);
            }
        }
        return new ObjectMetaBuilder()
                .withUid(meta.getUid())
                .withNamespace(meta.getNamespace())
                .withName(meta.getName())
                .withResourceVersion(meta.getResourceVersion())
                .withCreationTimestamp(meta.getCreationTimestamp())
                .withDeletionTimestamp(meta.getDeletionTimestamp())
                .withDeletionGracePeriodSeconds(meta.getDeletionGracePeriodSeconds())
                .withLabels(meta.getLabels())
                .withAnnotations(annotations)
                .withFinalizers(meta.getFinalizers())
                .build();
    }

    private static List<Container> containers(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        return containers.stream()
                .filter(Objects::nonNull)
                .map(c -> new ContainerBuilder().withName(c.getName()).withRestartPolicy(c.getRestartPolicy()).build())
                .toList();
    }

    private static PodStatus status(PodStatus status) {
        return new PodStatusBuilder()
                .withPhase(status.getPhase())
                .withReason(status.getReason())
                .withMessage(status.getMessage())
                .withConditions(status.getConditions())
                .withContainerStatuses(containerStatuses(status.getContainerStatuses()))
                .withInitContainerStatuses(containerStatuses(status.getInitContainerStatuses()))
                .build();
    }

    private static List<ContainerStatus> containerStatuses(List<ContainerStatus> statuses) {
        if (statuses == null) {
            return null;
        }
        return statuses.stream()
                .filter(Objects::nonNull)
                .map(s -> new ContainerStatusBuilder().withName(s.getName()).withState(s.getState()).build())
                .toList();
    }
}
