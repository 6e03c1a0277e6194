package io.stagewatch.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a kubelet and the control plane do to workflow pods and their nodes, played against an API server (a mock one,
 * or the demo's).
 */
public record Cluster(KubernetesClient client) {

    /** Conflicting writes in a row after which an edit gives up. */
    private static final int MAX_CONFLICTS = 20;

    /** Creates the pod and returns it as stored (with the UID the server kept). */
    public Pod create(Pod pod) {
        return client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(pod)
                .create();
    }

    /**
     * Replaces the pod (GET + PUT, as the kubelet and controllers do; the mock server drops deletion fields in
     * patches), read again and retried when someone else (stagewatch's finalizer) changed it in between, as a
     * controller would.
     *
     * @return the pod as written, or null when it is gone
     */
    public Pod edit(Pod pod, UnaryOperator<Pod> change) {
        String namespace = pod.getMetadata().getNamespace();
        var resource =
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName());
        for (int attempt = 1; ; attempt++) {
            Pod current = resource.get();
            if (current == null) {
                return null;
            }
            try {
                return client.pods()
                        .inNamespace(namespace)
                        .resource(change.apply(current))
                        .update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= MAX_CONFLICTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Plays a fixture pod: created under a unique name and held by {@link Pods#FINALIZER} (the server keeps no deletion
     * fields on create), replaced by its final state, and let go when its last event is a deletion.
     *
     * @return the pod as stored, with the UID the server kept
     */
    public Pod replay(Pod finalState, boolean deleted) {
        Pod pod = new PodBuilder(finalState)
                .editMetadata()
                .withName(Pods.name(finalState.getMetadata().getName()))
                .addToFinalizers(Pods.FINALIZER)
                .endMetadata()
                .build();
        Pod stored = edit(
                create(pod),
                current -> new PodBuilder(pod)
                        .withMetadata(new ObjectMetaBuilder(pod.getMetadata())
                                .withUid(current.getMetadata().getUid())
                                .withResourceVersion(current.getMetadata().getResourceVersion())
                                .build())
                        .build());
        if (deleted) {
            release(stored);
        }
        return stored;
    }

    /**
     * Writes the node as the kubelet and the node lifecycle controller would: its Ready condition ({@code True},
     * {@code False}, {@code Unknown}) since {@code since}, and its one NoExecute taint added then, or none (null).
     * Creates the node when there is none of that name.
     */
    public void node(String name, String ready, Instant since, String taint) {
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withTaints(taint == null ? List.of() : List.of(new Taint("NoExecute", taint, time(since), null)))
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .withLastTransitionTime(time(since))
                .endCondition()
                .endStatus()
                .build();
        Node current = client.nodes().withName(name).get();
        if (current == null) {
            client.nodes().resource(node).create();
        } else {
            node.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            client.nodes().resource(node).update();
        }
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Writes the pod's next state, e.g. {@code cluster.update(pod, p -> p.failed(2))}. */
    public Pod update(Pod pod, UnaryOperator<Pods> change) {
        return edit(pod, current -> change.apply(Pods.from(current)).build());
    }

    /** Requests deletion of a pod held by a finalizer: it stays, with its deletion timestamp, as the kubelet ends it. */
    public Pod requestDeletion(Pod pod, long graceSeconds) {
        return update(pod, p -> p.deletionRequested(Pods.FINISHED, graceSeconds));
    }

    /**
     * Removes the harness's finalizer and no other: a pod whose deletion was requested disappears once no finalizer is
     * left (watchers see DELETED), so stagewatch's status-capture finalizer holds it until stagewatch has recorded it.
     */
    public void release(Pod pod) {
        edit(
                pod,
                p -> new PodBuilder(p)
                        .editMetadata()
                        .removeFromFinalizers(Pods.FINALIZER)
                        .endMetadata()
                        .build());
    }

    /** Deletes a finished pod, as a Job's TTL controller would; nothing when it is gone already. */
    public void expire(Pod pod) {
        Pod requested = requestDeletion(pod, 0);
        if (requested != null) {
            release(requested);
        }
    }

    /** Deletes a pod outright, as {@code kubectl delete --grace-period=0 --force} would, every finalizer removed first. */
    public void forceDelete(Pod pod) {
        var resource = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName());
        // until the pod is gone: stagewatch's finalizer may hold it again between the edit and the deletion (a patch
        // of its own still on the way), as it may on a real cluster
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Pod current = resource.get();
            if (current == null
                    || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                return true;
            }
            edit(
                    current,
                    p -> new PodBuilder(p)
                            .editMetadata()
                            .withFinalizers(List.of())
                            .endMetadata()
                            .build());
            resource.withGracePeriod(0).delete();
            return false;
        });
    }
}
