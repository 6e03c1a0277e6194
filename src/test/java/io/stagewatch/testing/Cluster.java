package io.stagewatch.testing;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What a kubelet and the control plane do to workflow pods, played against the mock API server. */
public record Cluster(KubernetesClient client) {

    /** Creates the pod and returns it as stored (with the UID the server kept). */
    public Pod create(Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    }

    /**
     * Replaces the pod (PUT, as the kubelet and controllers do; the mock server drops deletion fields in patches), read
     * again and retried when someone else (stagewatch's finalizer) changed it in between, as a controller would.
     */
    public Pod edit(Pod pod, UnaryOperator<Pod> change) {
        var resource = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
        for (int attempt = 1;; attempt++) {
            try {
                return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(change.apply(resource.get()))
                        .update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    public Pod status(Pod pod, PodStatus status) {
        return edit(pod, p -> new PodBuilder(p).withStatus(status).build());
    }

    /** Requests deletion of a pod held by a finalizer: it stays, with its deletion timestamp, as the kubelet ends it. */
    public Pod requestDeletion(Pod pod, long graceSeconds) {
        String deadline = Instant.now().plusSeconds(graceSeconds).toString();
        return edit(pod, p -> new PodBuilder(p).editMetadata().withDeletionTimestamp(deadline)
                .withDeletionGracePeriodSeconds(graceSeconds).endMetadata().build());
    }

    /** Removes every finalizer: a pod whose deletion was requested disappears, and watchers see DELETED. */
    public void release(Pod pod) {
        edit(pod, p -> new PodBuilder(p).editMetadata().withFinalizers(List.of()).endMetadata().build());
    }

    /** Deletes a pod outright, as {@code kubectl delete --grace-period=0 --force} would, finalizers removed first. */
    public void forceDelete(Pod pod) {
        release(pod);
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withGracePeriod(0).delete();
    }
}
