package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.NodeLoss;
import io.stagewatch.run.Rfc3339;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The Nodes of one cluster, and what they mean for the unfinished runs of the pods on them ({@link NodeLoss}): built
 * for one (cluster, client), started and stopped beside that cluster's pod informers, whose cached pods it reads. The
 * node informer's cache keeps only each node's taints and conditions. {@link #evaluate} (every second) flags and clears
 * the runs at risk through {@link NodeRisks}, and hands a NODE_LOST verdict to the pipeline (once, and again every
 * {@link #JUDGE_AGAIN} while the pod is still there). While every node is healthy (as the informer's events tell), none
 * was deleted and no run is flagged, it reads neither nodes nor pods: no cost per pod while nothing fails. A node counts as deleted once its deletion
 * was seen (a node unknown since startup does not: Kubernetes' pod garbage collector deletes its pods, which are judged
 * as today). Without the right to watch nodes it logs that once, counts it, and does nothing.
 */
final class NodeWatch {

    private static final Logger LOG = Logger.getLogger(NodeWatch.class);
    /** In {@link #flagged}: a write that failed, so that the next evaluation writes again. */
    private static final String UNWRITTEN = "\0unwritten";

    private static final Duration JUDGE_AGAIN = Duration.ofSeconds(30);

    private final String cluster;
    private final KubernetesClient client;
    private final Supplier<Stream<Pod>> pods;
    private final NodeRisks risks;
    private final Duration grace;
    /** Since when each deleted node that cached pods still name is gone. */
    private final Map<String, Instant> gone = new ConcurrentHashMap<>();
    /** What this instance last wrote of each run at risk, by uid. */
    private final Map<String, String> flagged = new ConcurrentHashMap<>();
    /**
     * When this instance last published each run's NODE_LOST verdict. Published again after {@link #JUDGE_AGAIN}
     * while the pod is still there, unfinished: a verdict on a run not recorded yet records nothing (and replaces the
     * pod's first sighting on the bus), and the run is recorded by a later sighting; for a run already FAILED it is a
     * read and no write.
     */
    private final Map<String, Instant> judged = new HashMap<>();
    /** When each taint without {@code timeAdded} was first seen, by node name and taint key. */
    private final Map<String, Instant> untimedTaints = new ConcurrentHashMap<>();
    /** The nodes not Ready, or tainted unreachable or not-ready, as the informer's events tell. */
    private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();

    private volatile SharedIndexInformer<Node> informer;
    /** True once the API server refused the watch (403). */
    private volatile boolean forbidden;

    NodeWatch(String cluster, KubernetesClient client, Supplier<Stream<Pod>> pods, NodeRisks risks, Duration grace) {
        this.cluster = cluster;
        this.client = client;
        this.pods = pods;
        this.risks = risks;
        this.grace = grace;
    }

    synchronized void start() {
        SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
        nodes.itemStore(new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE,
                Node.class,
                client.getKubernetesSerialization(),
                "spec.taints",
                "status.conditions"));
        nodes.addEventHandler(new Handler());
        nodes.start().whenComplete((ignored, failure) -> {
            if (failure != null) {
                refused(failure);
            } else {
                readFlagged();
            }
        });
        informer = nodes;
    }

    /** The runs flagged before this instance watched (by it, or another replica): cleared when their node is well. */
    private void readFlagged() {
        risks.flagged()
                .subscribe()
                .with(
                        stored -> stored.forEach(flagged::putIfAbsent),
                        failure -> LOG.warnf(
                                "Could not read the runs at risk (%s); those of healthy nodes stay flagged until they"
                                        + " finish",
                                failure.getMessage()));
    }

    synchronized void stop() {
        if (informer != null) {
            informer.stop();
            informer = null;
        }
    }

    /** Runs this instance found at risk and flagged. */
    int atRisk() {
        return (int) flagged.values().stream()
                .filter(text -> !UNWRITTEN.equals(text))
                .count();
    }

    /** Flags, clears and judges the runs on failing nodes; called on one thread at a time. */
    void evaluate(Instant now) {
        SharedIndexInformer<Node> nodes = informer;
        if (nodes == null || !nodes.hasSynced()) {
            return; // before the first LIST, a node's absence means nothing
        }
        if (gone.isEmpty() && flagged.isEmpty() && unhealthy.isEmpty()) {
            return;
        }
        Map<String, NodeLoss.Node> states = new HashMap<>();
        Set<String> untimed = new HashSet<>();
        nodes.getStore().list().forEach(node -> states.put(node.getMetadata().getName(), state(node, untimed)));
        untimedTaints.keySet().retainAll(untimed);
        Set<String> seen = new HashSet<>();
        Set<String> named = new HashSet<>();
        pods.get().forEach(pod -> {
            String uid = pod.getMetadata() == null ? null : pod.getMetadata().getUid();
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (uid == null || node == null || decidedAsToday(pod) || !seen.add(uid)) {
                return;
            }
            named.add(node);
            NodeLoss.Node state = states.get(node);
            NodeLoss.Assessment assessment = NodeLoss.assess(
                    node,
                    state,
                    state == null ? gone.get(node) : null,
                    NodeLoss.Tolerations.of(pod.getSpec().getTolerations()),
                    now,
                    grace);
            Instant last = judged.get(uid);
            if (assessment.lost()
                    && (last == null || !now.isBefore(last.plus(JUDGE_AGAIN)))
                    && risks.lost(uid, assessment, last == null)) {
                judged.put(uid, now);
            }
            flag(uid, node, assessment.atRisk());
        });
        gone.keySet().retainAll(named);
        gone.keySet().removeAll(states.keySet());
        flagged.keySet().retainAll(seen);
        judged.keySet().retainAll(seen);
    }

    private void flag(String uid, String node, String atRisk) {
        String was = flagged.get(uid);
        if (Objects.equals(was, atRisk)) {
            return;
        }
        if (atRisk == null) {
            flagged.remove(uid);
        } else {
            flagged.put(uid, atRisk);
        }
        risks.flag(uid, node, atRisk).subscribe().with(ignored -> {}, failure -> flagged.put(uid, UNWRITTEN));
    }

    /**
     * A pod that reported a terminal status, or whose deletion was requested, is decided as before: by that status, or
     * as POD_DELETED (NODE_LOST when its disruption condition says so).
     */
    private static boolean decidedAsToday(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return true;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /**
     * The node as {@link NodeLoss} reads it. A taint without {@code timeAdded} counts from when it was first seen; its
     * key goes into {@code untimed}.
     */
    private NodeLoss.Node state(Node node, Set<String> untimed) {
        String ready = null;
        Instant readySince = null;
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition condition : node.getStatus().getConditions()) {
                if (condition != null && "Ready".equals(condition.getType())) {
                    ready = condition.getStatus();
                    readySince = time(condition.getLastTransitionTime());
                }
            }
        }
        Map<String, Instant> taints = new HashMap<>();
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (Taint taint : node.getSpec().getTaints()) {
                if (taint != null && taint.getKey() != null && "NoExecute".equals(taint.getEffect())) {
                    Instant added = time(taint.getTimeAdded());
                    if (added == null) {
                        String key = node.getMetadata().getName() + " " + taint.getKey();
                        untimed.add(key);
                        added = untimedTaints.computeIfAbsent(key, ignored -> Instant.now());
                    }
                    taints.put(taint.getKey(), added);
                }
            }
        }
        return new NodeLoss.Node(node.getMetadata().getName(), ready, readySince, taints);
    }

    private static Instant time(String value) {
        try {
            return Rfc3339.parse(value, "time");
        } catch (MalformedPodException e) {
            return null;
        }
    }

    /** Logs once and counts a watch the API server refused; any other failure is logged. */
    private void refused(Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof KubernetesClientException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof KubernetesClientException refused && refused.getCode() == 403) {
            risks.forbidden();
            LOG.warnf(
                    "Cluster %s: stagewatch may not watch Nodes (403; it needs list and watch on nodes, a"
                            + " cluster-scoped right): runs on a lost node are neither flagged at risk nor failed"
                            + " NODE_LOST, and stay RUNNING until their pod is deleted; restart stagewatch once granted",
                    cluster);
            forbidden = true;
        } else {
            LOG.warnf(
                    "Cluster %s: the node informer could not start (%s); the watchdog will try again",
                    cluster, failure.getMessage());
        }
    }

    /**
     * Starts the node informer again when it stopped (a failed first start, a watch error fabric8 does not recover
     * from), unless the API server refused it (403): that is said once, and needs the right and a restart.
     */
    synchronized void restartIfStopped() {
        if (informer != null
                && !forbidden
                && informer.stopped().toCompletableFuture().isDone()) {
            LOG.warnf("Cluster %s: the node informer stopped; restarting it", cluster);
            stop();
            start();
        }
    }

    /**
     * Notes which nodes are unhealthy and when one is deleted, so that the evaluation reads nodes and pods only then;
     * the evaluation reads the informer's cache for the rest.
     */
    private final class Handler implements ResourceEventHandler<Node> {

        @Override
        public void onAdd(Node node) {
            note(node);
        }

        @Override
        public void onUpdate(Node previous, Node node) {
            note(node);
        }

        @Override
        public void onDelete(Node node, boolean deletedFinalStateUnknown) {
            unhealthy.remove(node.getMetadata().getName());
            gone.putIfAbsent(node.getMetadata().getName(), Instant.now());
        }

        private void note(Node node) {
            if (state(node, new HashSet<>()).healthy()) {
                unhealthy.remove(node.getMetadata().getName());
            } else {
                unhealthy.add(node.getMetadata().getName());
            }
        }
    }
}
