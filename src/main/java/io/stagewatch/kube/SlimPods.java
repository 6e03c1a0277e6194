package io.stagewatch.kube;

import static io.stagewatch.run.ClusterText.message;
import static io.stagewatch.run.ClusterText.name;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Toleration;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.kube.CompactBytes.Reader;
import io.stagewatch.kube.CompactBytes.Writer;
import io.stagewatch.pipeline.PodCodec;
import io.stagewatch.pipeline.ProfilesProducer;
import io.stagewatch.platform.DevtronEvent;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.platform.WorkflowLink;
import io.stagewatch.platform.WorkflowLinks;
import io.stagewatch.run.ClusterText;
import io.stagewatch.run.NodeLoss;
import io.stagewatch.run.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Copies of pods that hold only what stagewatch decides on: identity, the labels and annotations it reads, finalizers
 * and deletion times; container names (and init containers' restart policy); the node, and how long the pod tolerates
 * the taints of a failing node ({@link NodeLoss.Tolerations}); phase, reason, message, the conditions
 * the classifier reads ({@code DisruptionTarget}, and {@code PodScheduled} while it is not True) and container states
 * (times, exit code, reason, message; not container IDs or signals). No managedFields, env values, volumes, images,
 * other labels, annotations or conditions: they cost 5-20 KB a pod, and CI systems pass secrets in env values that
 * must not live in stagewatch's memory. The one env value read is Devtron's {@code CI_CD_EVENT} (when the devtron
 * profile is enabled): here, before anything is retained, only its whitelisted fields are taken from it
 * ({@link DevtronEvent}), and the slim copy carries them as annotations.
 *
 * <p>
 * What is kept is defined once, by {@link #compact}: the bytes the informer cache and the waiting observations hold (a
 * few hundred a pod, see {@link CompactBytes}). {@link #expand} turns them back into a pod, and {@link #slim} is the
 * two in a row, so a pod published from an event decides exactly as the cached copy of it would. Every pod passes
 * here (the informer's cache and events, the reconcile loop's LIST, and whatever is published on the bus, whose codec
 * this is), so here every text kept is made safe, once ({@link ClusterText}: controls replaced, lengths capped). Strings of small
 * vocabularies (phases, reasons, container names, condition types, label keys) are shared between expanded pods. The
 * scale benchmark ({@code make bench-scale}) measures what a cached pod costs.
 */
@ApplicationScoped
public class SlimPods implements PodCodec {

    private static final String DISRUPTION_TARGET = "DisruptionTarget";
    private static final String POD_SCHEDULED = "PodScheduled";
    /** The bits of a container state's written form: present, then which of its parts follow. */
    private static final int STATE = 1;

    private static final int RUNNING = 2;
    private static final int TERMINATED = 4;
    private static final int WAITING = 8;

    private final String notifyAnnotation;
    /** The label keys kept, sorted: a kept label is written as its key's index. */
    private final String[] keptLabels;

    private final boolean devtron;
    private final Profiles profiles;

    public SlimPods(StagewatchConfig config, Profiles profiles) {
        this.profiles = profiles;
        this.notifyAnnotation = config.annotations().notifyRecipients();
        Set<String> kept = new HashSet<>(profiles.labelKeys());
        kept.addAll(ProfilesProducer.labelKeys(config.labels()).all());
        kept.add(StatusCaptureFinalizer.HELD_LABEL);
        this.keptLabels = kept.stream().sorted().map(String::intern).toArray(String[]::new);
        this.devtron = profiles.enabled().stream().anyMatch(profile -> profile.platform() == Platform.DEVTRON);
    }

    /** The slim copy of the pod. */
    public Pod slim(Pod pod) {
        return expand(compact(pod));
    }

    /** What stagewatch keeps of the pod, in bytes; {@link #expand} reads them back. */
    @Override
    public byte[] compact(Pod pod) {
        Writer out = new Writer();
        ObjectMeta meta = pod.getMetadata();
        out.unsigned(meta == null ? 0 : 1);
        if (meta != null) {
            Map<String, String> devtronEvent = devtronEvent(pod);
            metadata(out, meta, devtronEvent, workflowLink(meta, devtronEvent != null));
        }
        PodSpec spec = pod.getSpec();
        out.unsigned(spec == null ? 0 : 1);
        if (spec != null) {
            containers(out, spec.getContainers());
            containers(out, spec.getInitContainers());
            out.string(name(spec.getNodeName()));
            NodeLoss.Tolerations tolerations = NodeLoss.Tolerations.of(spec.getTolerations());
            out.number(tolerations.unreachable());
            out.number(tolerations.notReady());
        }
        PodStatus status = pod.getStatus();
        out.unsigned(status == null ? 0 : 1);
        if (status != null) {
            status(out, status);
        }
        return out.bytes();
    }

    /** The slim pod that {@link #compact} wrote; null for null. */
    @Override
    public Pod expand(byte[] compact) {
        if (compact == null) {
            return null;
        }
        Reader in = new Reader(compact);
        Pod pod = new Pod();
        if (in.unsigned() == 1) {
            pod.setMetadata(metadata(in));
        }
        if (in.unsigned() == 1) {
            PodSpec spec = new PodSpec();
            spec.setContainers(containers(in));
            spec.setInitContainers(containers(in));
            spec.setNodeName(shared(in.string()));
            Long unreachable = in.number();
            Long notReady = in.number();
            spec.setTolerations(tolerations(new NodeLoss.Tolerations(unreachable, notReady)));
            pod.setSpec(spec);
        }
        if (in.unsigned() == 1) {
            pod.setStatus(status(in));
        }
        return pod;
    }

    /**
     * The whitelisted fields of Devtron's event in the pod's {@code main} container; for a pod without the variable,
     * the fields it already carries as annotations, since it is a slim copy itself: the informer hands its cached
     * copies to the handlers (the initial adds, the deletions a relist finds), and those must decide as the pod did.
     * (A pod's own author could set such annotations as easily as the variable: they grant nothing the variable does
     * not.) Null when there are none.
     */
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
        Map<String, String> annotations =
                pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(DevtronEvent.READ)) {
            return null;
        }
        Map<String, String> carried = new HashMap<>();
        annotations.forEach((key, value) -> {
            if (key.startsWith(DevtronEvent.PREFIX)) {
                carried.put(key, value);
            }
        });
        return carried;
    }

    /**
     * The pod's link to its workflow ({@link WorkflowLinks}), read here, before the Argo node annotations and the owner
     * references are dropped; for a slim copy, the link it already carries. Null when it has none. A pod with Devtron's
     * event is Devtron's: its profile claims it by the event's annotations, which the full pod does not have yet.
     */
    private Map<String, String> workflowLink(ObjectMeta meta, boolean devtronEvent) {
        WorkflowLink carried = WorkflowLink.carried(meta.getNamespace(), meta.getAnnotations());
        if (carried != null) {
            return carried.carried();
        }
        Profile profile = devtronEvent ? null : profiles.claimant(meta);
        Platform platform = devtronEvent ? Platform.DEVTRON : profile == null ? null : profile.platform();
        return platform == null
                ? null
                : WorkflowLinks.of(platform, meta).map(WorkflowLink::carried).orElse(null);
    }

    private void metadata(Writer out, ObjectMeta meta, Map<String, String> devtronEvent, Map<String, String> link) {
        out.string(name(meta.getUid()));
        out.string(name(meta.getNamespace()));
        out.string(name(meta.getName()));
        out.string(name(meta.getResourceVersion()));
        out.string(name(meta.getCreationTimestamp()));
        out.string(name(meta.getDeletionTimestamp()));
        out.number(meta.getDeletionGracePeriodSeconds());
        labels(out, meta.getLabels());
        String recipients =
                meta.getAnnotations() == null ? null : meta.getAnnotations().get(notifyAnnotation);
        Map<String, String> annotations = null;
        if (recipients != null || devtronEvent != null || link != null) {
            annotations = new HashMap<>();
            if (devtronEvent != null) {
                annotations.putAll(devtronEvent);
            }
            if (link != null) {
                annotations.putAll(link);
            }
            if (recipients != null) {
                annotations.put(notifyAnnotation, recipients);
            }
        }
        out.count(annotations == null ? null : annotations.keySet());
        if (annotations != null) {
            annotations.forEach((key, value) -> {
                out.string(key);
                // the recipients are a list: they may be longer than a name
                out.string(key.equals(notifyAnnotation) ? message(value) : name(value));
            });
        }
        List<String> finalizers = meta.getFinalizers();
        out.count(finalizers);
        if (finalizers != null) {
            finalizers.forEach(finalizer -> out.string(name(finalizer)));
        }
    }

    private ObjectMeta metadata(Reader in) {
        ObjectMeta meta = new ObjectMeta();
        meta.setUid(in.string());
        meta.setNamespace(in.string());
        meta.setName(in.string());
        meta.setResourceVersion(in.string());
        meta.setCreationTimestamp(in.string());
        meta.setDeletionTimestamp(in.string());
        meta.setDeletionGracePeriodSeconds(in.number());
        meta.setLabels(labels(in));
        int annotations = in.count();
        if (annotations >= 0) {
            Map<String, String> read = new HashMap<>();
            for (int i = 0; i < annotations; i++) {
                read.put(shared(in.string()), in.string());
            }
            meta.setAnnotations(read);
        }
        int finalizers = in.count();
        if (finalizers >= 0) {
            List<String> read = new ArrayList<>(finalizers);
            for (int i = 0; i < finalizers; i++) {
                read.add(shared(in.string()));
            }
            meta.setFinalizers(read);
        }
        return meta;
    }

    /** The labels stagewatch reads (its label keys and the finalizer's), each as its key's index and its value. */
    private void labels(Writer out, Map<String, String> labels) {
        if (labels == null) {
            out.count(null);
            return;
        }
        int[] indexes = new int[keptLabels.length];
        String[] values = new String[keptLabels.length];
        int kept = 0;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            int index = Arrays.binarySearch(keptLabels, label.getKey());
            if (index >= 0) {
                indexes[kept] = index;
                values[kept++] = label.getValue();
            }
        }
        out.unsigned(kept + 1L);
        for (int i = 0; i < kept; i++) {
            out.unsigned(indexes[i]);
            out.string(name(values[i]));
        }
    }

    private Map<String, String> labels(Reader in) {
        int count = in.count();
        if (count < 0) {
            return null;
        }
        Map<String, String> labels = new HashMap<>(8);
        for (int i = 0; i < count; i++) {
            labels.put(keptLabels[(int) in.unsigned()], in.string());
        }
        return labels;
    }

    private static void containers(Writer out, List<Container> containers) {
        List<Container> present = nonNull(containers);
        out.count(present);
        if (present != null) {
            for (Container container : present) {
                out.string(name(container.getName()));
                out.string(name(container.getRestartPolicy()));
            }
        }
    }

    /** None for a pod that tolerates neither taint: most pods, if the cluster adds no default tolerations. */
    private static List<Toleration> tolerations(NodeLoss.Tolerations tolerations) {
        return tolerations.equals(NodeLoss.Tolerations.NONE) ? null : tolerations.asTolerations();
    }

    private static List<Container> containers(Reader in) {
        int count = in.count();
        if (count < 0) {
            return null;
        }
        List<Container> containers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Container container = new Container();
            container.setName(shared(in.string()));
            container.setRestartPolicy(shared(in.string()));
            containers.add(container);
        }
        return containers;
    }

    private static void status(Writer out, PodStatus status) {
        out.string(name(status.getPhase()));
        out.string(name(status.getReason()));
        out.string(message(status.getMessage()));
        List<PodCondition> conditions = status.getConditions() == null
                ? null
                : status.getConditions().stream().filter(SlimPods::decisive).toList();
        out.count(conditions);
        if (conditions != null) {
            for (PodCondition condition : conditions) {
                out.string(name(condition.getType()));
                out.string(name(condition.getStatus()));
                out.string(name(condition.getReason()));
                out.string(message(condition.getMessage()));
                out.string(name(condition.getLastTransitionTime()));
            }
        }
        containerStatuses(out, status.getContainerStatuses());
        containerStatuses(out, status.getInitContainerStatuses());
    }

    private static PodStatus status(Reader in) {
        PodStatus status = new PodStatus();
        status.setPhase(shared(in.string()));
        status.setReason(shared(in.string()));
        status.setMessage(in.string());
        int conditions = in.count();
        if (conditions >= 0) {
            List<PodCondition> read = new ArrayList<>(conditions);
            for (int i = 0; i < conditions; i++) {
                PodCondition condition = new PodCondition();
                condition.setType(shared(in.string()));
                condition.setStatus(shared(in.string()));
                condition.setReason(shared(in.string()));
                condition.setMessage(in.string());
                condition.setLastTransitionTime(in.string());
                read.add(condition);
            }
            status.setConditions(read);
        }
        status.setContainerStatuses(containerStatuses(in));
        status.setInitContainerStatuses(containerStatuses(in));
        return status;
    }

    /** {@code DisruptionTarget}, and {@code PodScheduled} while not True (the scheduler's reason for a waiting pod). */
    private static boolean decisive(PodCondition condition) {
        return condition != null
                && (DISRUPTION_TARGET.equals(condition.getType())
                        || (POD_SCHEDULED.equals(condition.getType()) && !"True".equals(condition.getStatus())));
    }

    private static void containerStatuses(Writer out, List<ContainerStatus> statuses) {
        List<ContainerStatus> present = nonNull(statuses);
        out.count(present);
        if (present != null) {
            for (ContainerStatus status : present) {
                out.string(name(status.getName()));
                state(out, status.getState());
            }
        }
    }

    private static List<ContainerStatus> containerStatuses(Reader in) {
        int count = in.count();
        if (count < 0) {
            return null;
        }
        List<ContainerStatus> statuses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ContainerStatus status = new ContainerStatus();
            status.setName(shared(in.string()));
            status.setState(state(in));
            statuses.add(status);
        }
        return statuses;
    }

    /** Which of the state's parts are present, as bits, then each part. */
    private static void state(Writer out, ContainerState state) {
        if (state == null) {
            out.unsigned(0);
            return;
        }
        out.unsigned(STATE
                | (state.getRunning() == null ? 0 : RUNNING)
                | (state.getTerminated() == null ? 0 : TERMINATED)
                | (state.getWaiting() == null ? 0 : WAITING));
        if (state.getRunning() != null) {
            out.string(name(state.getRunning().getStartedAt()));
        }
        ContainerStateTerminated end = state.getTerminated();
        if (end != null) {
            out.number(end.getExitCode() == null ? null : end.getExitCode().longValue());
            out.string(name(end.getReason()));
            out.string(message(end.getMessage()));
            out.string(name(end.getStartedAt()));
            out.string(name(end.getFinishedAt()));
        }
        if (state.getWaiting() != null) {
            out.string(name(state.getWaiting().getReason()));
            out.string(message(state.getWaiting().getMessage()));
        }
    }

    private static ContainerState state(Reader in) {
        int parts = (int) in.unsigned();
        if ((parts & STATE) == 0) {
            return null;
        }
        ContainerState state = new ContainerState();
        if ((parts & RUNNING) != 0) {
            ContainerStateRunning running = new ContainerStateRunning();
            running.setStartedAt(in.string());
            state.setRunning(running);
        }
        if ((parts & TERMINATED) != 0) {
            ContainerStateTerminated end = new ContainerStateTerminated();
            Long exitCode = in.number();
            end.setExitCode(exitCode == null ? null : exitCode.intValue());
            end.setReason(shared(in.string()));
            end.setMessage(in.string());
            end.setStartedAt(in.string());
            end.setFinishedAt(in.string());
            state.setTerminated(end);
        }
        if ((parts & WAITING) != 0) {
            ContainerStateWaiting waiting = new ContainerStateWaiting();
            waiting.setReason(shared(in.string()));
            waiting.setMessage(in.string());
            state.setWaiting(waiting);
        }
        return state;
    }

    private static <T> List<T> nonNull(List<T> items) {
        return items == null ? null : items.stream().filter(Objects::nonNull).toList();
    }

    /** One instance of a string from a small vocabulary (phases, reasons, container names) for every pod. */
    private static String shared(String value) {
        return value == null ? null : value.intern();
    }
}
