package io.stagewatch.kube;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.stagewatch.StagewatchConfig;

/**
 * Copies of pods that hold only what stagewatch decides on: identity, labels, the annotations it reads, finalizers
 * and deletion times; container names (and init containers' restart policy); phase, reason, message, conditions and
 * container states. No managedFields, env values, volumes, images or other annotations: they cost 10-20 KB a pod in
 * the informer cache and the observation queue, and CI systems pass secrets in env values that must not live in
 * stagewatch's memory.
 */
@ApplicationScoped
public class SlimPods {

    private final String notifyAnnotation;

    public SlimPods(StagewatchConfig config) {
        this.notifyAnnotation = config.annotations().notifyRecipients();
    }

    public Pod slim(Pod pod) {
        PodBuilder slim = new PodBuilder().withMetadata(metadata(pod.getMetadata()));
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

    private ObjectMeta metadata(ObjectMeta meta) {
        if (meta == null) {
            return null;
        }
        String recipients = meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        return new ObjectMetaBuilder()
                .withUid(meta.getUid())
                .withNamespace(meta.getNamespace())
                .withName(meta.getName())
                .withResourceVersion(meta.getResourceVersion())
                .withCreationTimestamp(meta.getCreationTimestamp())
                .withDeletionTimestamp(meta.getDeletionTimestamp())
                .withDeletionGracePeriodSeconds(meta.getDeletionGracePeriodSeconds())
                .withLabels(meta.getLabels())
                .withAnnotations(recipients == null ? null : Map.of(notifyAnnotation, recipients))
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
