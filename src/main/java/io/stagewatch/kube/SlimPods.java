package io.stagewatch.kube;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.platform.DevtronEvent;
import io.stagewatch.platform.Profiles;
import io.stagewatch.run.Platform;

/**
 * Copies of pods that hold only what stagewatch decides on: identity, the labels and annotations it reads, finalizers
 * and deletion times; container names (and init containers' restart policy); phase, reason, message, the conditions
 * the classifier reads ({@code DisruptionTarget}, and {@code PodScheduled} while it is not True) and container states.
 * No managedFields, env values, volumes, images, other labels, annotations or conditions: they cost 5-20 KB a pod in
 * the informer cache and the observation queue, and CI systems pass secrets in env values that must not live in
 * stagewatch's memory. Strings of small vocabularies (phases, reasons, container names, condition types) are shared,
 * not held once per pod. The scale benchmark ({@code make bench-scale}) measures what a pod costs.
 * stagewatch's memory. The one env value read is Devtron's {@code CI_CD_EVENT} (when the devtron profile is enabled):
 * here, before anything is retained, only its whitelisted fields are taken from it ({@link DevtronEvent}), and the
 * slim copy carries them as annotations.
 */
@ApplicationScoped
public class SlimPods {

    private final String notifyAnnotation;
    private final Set<String> keptLabels;
    private final boolean devtron;

    public SlimPods(StagewatchConfig config, Profiles profiles) {
        this.notifyAnnotation = config.annotations().notifyRecipients();
        StagewatchConfig.Labels labels = config.labels();
        Set<String> kept = new HashSet<>(profiles.labelKeys());
        kept.addAll(List.of(labels.stage(), labels.workflow(), labels.pipeline(), labels.app(), labels.environment(),
                StatusCaptureFinalizer.HELD_LABEL));
        this.keptLabels = Set.copyOf(kept);
        this.devtron = profiles.enabled().stream().anyMatch(profile -> profile.platform() == Platform.DEVTRON);
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
                .withLabels(labels(meta.getLabels()))
                .withAnnotations(annotations)
                .withFinalizers(meta.getFinalizers())
                .build();
    }

    /** The labels stagewatch reads (its label keys and the finalizer's), in a map of their own; null when none. */
    private Map<String, String> labels(Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        Map<String, String> kept = new HashMap<>(8);
        labels.forEach((key, value) -> {
            if (keptLabels.contains(key)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    private static List<Container> containers(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        return containers.stream()
                .filter(Objects::nonNull)
                .map(c -> new ContainerBuilder().withName(shared(c.getName())).withRestartPolicy(shared(c.getRestartPolicy()))
                        .build())
                .toList();
    }

    private static PodStatus status(PodStatus status) {
        return new PodStatusBuilder()
                .withPhase(shared(status.getPhase()))
                .withReason(shared(status.getReason()))
                .withMessage(status.getMessage())
                .withConditions(conditions(status.getConditions()))
                .withContainerStatuses(containerStatuses(status.getContainerStatuses()))
                .withInitContainerStatuses(containerStatuses(status.getInitContainerStatuses()))
                .build();
    }

    /** {@code DisruptionTarget}, and {@code PodScheduled} while not True (the scheduler's reason for a waiting pod). */
    private static List<PodCondition> conditions(List<PodCondition> conditions) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(Objects::nonNull)
                .filter(c -> "DisruptionTarget".equals(c.getType())
                        || ("PodScheduled".equals(c.getType()) && !"True".equals(c.getStatus())))
                .map(c -> new PodConditionBuilder().withType(shared(c.getType())).withStatus(shared(c.getStatus()))
                        .withReason(shared(c.getReason())).withMessage(c.getMessage())
                        .withLastTransitionTime(c.getLastTransitionTime()).build())
                .toList();
    }

    private static List<ContainerStatus> containerStatuses(List<ContainerStatus> statuses) {
        if (statuses == null) {
            return null;
        }
        return statuses.stream()
                .filter(Objects::nonNull)
                .map(s -> new ContainerStatusBuilder().withName(shared(s.getName())).withState(state(s.getState())).build())
                .toList();
    }

    /** The times, exit code, reason and message of a container's state; not its container ID or signal. */
    private static ContainerState state(ContainerState state) {
        if (state == null) {
            return null;
        }
        ContainerStateBuilder slim = new ContainerStateBuilder();
        if (state.getRunning() != null) {
            slim.withNewRunning().withStartedAt(state.getRunning().getStartedAt()).endRunning();
        }
        if (state.getTerminated() != null) {
            ContainerStateTerminated end = state.getTerminated();
            slim.withNewTerminated().withExitCode(end.getExitCode()).withReason(shared(end.getReason()))
                    .withMessage(end.getMessage()).withStartedAt(end.getStartedAt()).withFinishedAt(end.getFinishedAt())
                    .endTerminated();
        }
        if (state.getWaiting() != null) {
            slim.withNewWaiting().withReason(shared(state.getWaiting().getReason()))
                    .withMessage(state.getWaiting().getMessage()).endWaiting();
        }
        return slim.build();
    }

    /** One instance of a string from a small vocabulary (phases, reasons, container names) for every pod. */
    private static String shared(String value) {
        return value == null ? null : value.intern();
    }
}
