package io.stagewatch.kube;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.pipeline.RunRecorded;
import io.stagewatch.run.RunStatus;

/**
 * Holds workflow pods with the finalizer {@value #NAME} while their run is not finished, and lets them go once the
 * terminal status is committed: a pod deleted while stagewatch is down stays, with its final status, until stagewatch
 * has recorded it (the Job controller's job-tracking finalizer and Argo's status-capture finalizer do the same).
 * Patches run on worker threads, one at a time per pod and {@value #MAX_IN_FLIGHT} in all; one that failed or was
 * skipped is tried again on the next observation (every reconcile pass observes every pod).
 */
@ApplicationScoped
public class StatusCaptureFinalizer {

    public static final String NAME = "stagewatch.io/status-capture";

    private static final Logger LOG = Logger.getLogger(StatusCaptureFinalizer.class);
    /** Patches in flight at most: a slow API server must not take every worker thread. */
    private static final int MAX_IN_FLIGHT = 16;

    private final KubernetesClient client;
    private final boolean enabled;
    private final MeterRegistry registry;
    private final Set<String> patching = ConcurrentHashMap.newKeySet();

    public StatusCaptureFinalizer(KubernetesClient client, StagewatchConfig config, MeterRegistry registry) {
        this.client = client;
        this.enabled = config.finalizer().enabled();
        this.registry = registry;
    }

    void onRecorded(@Observes RunRecorded recorded) {
        settle(recorded.pod(), recorded.status());
    }

    /** Adds or removes the finalizer as the run's recorded status requires; returns at once. */
    private void settle(Pod pod, RunStatus recorded) {
        if (!enabled || pod.getMetadata() == null) {
            return;
        }
        ObjectMeta meta = pod.getMetadata();
        List<String> finalizers = meta.getFinalizers() == null ? List.of() : meta.getFinalizers();
        int index = finalizers.indexOf(NAME);
        String patch;
        String action;
        if (recorded.isTerminal() && index >= 0) {
            action = "remove";
            patch = "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + index + "\",\"value\":\"" + NAME + "\"},"
                    + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + index + "\"}]";
        } else if (!recorded.isTerminal() && index < 0 && meta.getDeletionTimestamp() == null) {
            action = "add";
            patch = "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"" + meta.getUid() + "\"},"
                    + (finalizers.isEmpty()
                            ? "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"" + NAME + "\"]}]"
                            : "{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"" + NAME + "\"}]");
        } else {
            return;
        }
        if (patching.size() >= MAX_IN_FLIGHT || !patching.add(meta.getUid())) {
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> patch(meta, action, patch));
    }

    private void patch(ObjectMeta meta, String action, String patch) {
        try {
            client.pods().inNamespace(meta.getNamespace()).withName(meta.getName())
                    .patch(PatchContext.of(PatchType.JSON), patch);
            registry.counter("stagewatch.finalizer.patches", "action", action, "result", "done").increment();
        } catch (KubernetesClientException e) {
            // gone, changed since observed (the test op failed) or forbidden: the next observation decides again
            registry.counter("stagewatch.finalizer.patches", "action", action, "result", "failed").increment();
            LOG.debugf("Could not %s the finalizer of pod %s/%s: %s", action, meta.getNamespace(), meta.getName(),
                    e.getMessage());
        } finally {
            patching.remove(meta.getUid());
        }
    }
}
