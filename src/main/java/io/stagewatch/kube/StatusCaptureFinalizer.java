package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.pipeline.KnownRuns;
import io.stagewatch.pipeline.RunRecorded;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Holds workflow pods with the finalizer {@value #NAME} while their run is not finished, and lets them go once the
 * terminal status is committed: a pod deleted while stagewatch is down stays, with its final status, until stagewatch
 * has recorded it (the Job controller's job-tracking finalizer and Argo's status-capture finalizer do the same).
 * Every held pod carries the label {@value #HELD_LABEL}, so that held pods can be listed: a sweep releases, whatever
 * their run, the pods that stagewatch must not hold any longer (the feature was switched off, the pod fell out of
 * scope, or its deletion has waited {@code stagewatch.finalizer.max-hold}): drains and namespace deletions never wait
 * on stagewatch for long. Every patch tests the pod's UID, so a successor of the same name is never touched.
 * Patches of observed pods run on worker threads, one at a time per pod and {@value #MAX_IN_FLIGHT} in all; one that
 * failed or was skipped is tried again on the next observation (the pipeline is told to {@link KnownRuns#reconsider}
 * the pod, so that the next reconcile pass observes it again even though it did not change). What to do with a pod is
 * {@link FinalizerDecision}'s to decide, and the patches are {@link FinalizerPatches}'; this class gathers the facts and
 * carries the decision out.
 */
@ApplicationScoped
public class StatusCaptureFinalizer {

    public static final String NAME = "stagewatch.io/status-capture";
    public static final String HELD_LABEL = "stagewatch.io/held";

    private static final Logger LOG = Logger.getLogger(StatusCaptureFinalizer.class);
    /** Patches in flight at most: a slow API server must not take every worker thread. */
    private static final int MAX_IN_FLIGHT = 16;

    private final KubernetesClient client;
    private final KnownRuns known;
    private final StagewatchConfig config;
    private final Profiles profiles;
    private final SlimPods slimPods;
    private final boolean enabled;
    private final Duration maxHold;
    private final KubeMetrics metrics;
    private final Set<String> patching = ConcurrentHashMap.newKeySet();

    public StatusCaptureFinalizer(
            KubernetesClient client,
            KnownRuns known,
            StagewatchConfig config,
            Profiles profiles,
            SlimPods slimPods,
            KubeMetrics metrics) {
        this.profiles = profiles;
        this.slimPods = slimPods;
        this.client = client;
        this.known = known;
        this.config = config;
        this.enabled = config.finalizer().enabled();
        this.maxHold = config.finalizer().maxHold();
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            // switched off: one pass lets every pod go that an earlier run of stagewatch still holds
            Infrastructure.getDefaultWorkerPool().execute(this::sweep);
        }
    }

    void onRecorded(@Observes RunRecorded recorded) {
        settle(recorded.pod(), recorded.status());
    }

    @Scheduled(every = "{stagewatch.reconcile.interval}", concurrentExecution = ConcurrentExecution.SKIP)
    void scheduledSweep() {
        if (enabled) {
            sweep();
        }
    }

    /** Adds or removes the finalizer as the run's recorded status requires; returns at once. */
    private void settle(Pod pod, RunStatus recorded) {
        ObjectMeta meta = pod.getMetadata();
        if (meta == null) {
            return;
        }
        FinalizerDecision.Action decided = FinalizerDecision.afterRecorded(
                enabled,
                recorded,
                FinalizerPatches.holds(meta),
                FinalizerPatches.labelled(meta),
                meta.getDeletionTimestamp() != null);
        switch (decided) {
            case HOLD -> patchSoon(meta, "add", FinalizerPatches.hold(meta));
            case RELEASE -> patchSoon(meta, "remove", FinalizerPatches.release(meta));
            case NOTHING -> {}
        }
    }

    /** Patches on a worker thread, unless too many patches or one of this pod are in flight: then on a later pass. */
    private void patchSoon(ObjectMeta meta, String action, String patch) {
        if (patching.size() >= MAX_IN_FLIGHT || !patching.add(meta.getUid())) {
            known.reconsider(meta.getUid()); // the next reconcile pass observes the pod again, and tries again
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                if (!patch(meta, action, patch)) {
                    known.reconsider(meta.getUid());
                }
            } finally {
                patching.remove(meta.getUid());
            }
        });
    }

    /**
     * Lists the held pods (blocking; a worker thread) and releases the ones stagewatch must not hold: every one when the
     * feature is off, else those out of scope and those whose deletion has waited longer than the maximum hold. With
     * {@code stagewatch.namespaces} set it lists those namespaces only, so that namespaced Roles suffice (a namespace
     * taken off the list keeps its held pods until scripts/remove-finalizers.sh releases them).
     */
    void sweep() {
        Instant holdStartedBefore = Instant.now().minus(maxHold);
        List<String> namespaces = config.namespaces().orElse(List.of());
        if (namespaces.isEmpty()) {
            sweep(client.pods().inAnyNamespace(), holdStartedBefore);
        } else {
            namespaces.forEach(namespace -> sweep(client.pods().inNamespace(namespace), holdStartedBefore));
        }
    }

    private void sweep(AnyNamespaceOperation<Pod, PodList, PodResource> pods, Instant holdStartedBefore) {
        try {
            String token = null;
            do {
                var options = new ListOptionsBuilder()
                        .withLimit(config.reconcile().pageSize())
                        .withContinue(token)
                        .build();
                PodList page = pods.withLabel(HELD_LABEL).list(options);
                for (Pod pod : page.getItems()) {
                    forcedRelease(pod, holdStartedBefore).ifPresent(why -> forceRelease(pod, why));
                }
                token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (token != null && !token.isEmpty());
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not list the pods held by %s: %s; the next sweep tries again", NAME, e.getMessage());
        }
    }

    /** Why a held pod must be let go now, or nothing when it may stay held until its outcome is recorded. */
    private Optional<FinalizerDecision.Forced> forcedRelease(Pod pod, Instant holdStartedBefore) {
        ObjectMeta meta = pod.getMetadata();
        Instant deletionRequested = meta.getDeletionTimestamp() == null
                ? null
                : Instant.parse(meta.getDeletionTimestamp())
                        .minusSeconds(Objects.requireNonNullElse(meta.getDeletionGracePeriodSeconds(), 0L));
        return FinalizerDecision.inSweep(
                enabled,
                FinalizerPatches.holds(meta),
                inScope(slimPods.slim(pod)),
                deletionRequested,
                holdStartedBefore);
    }

    /** True when an enabled profile claims the pod and can read its run (a stage label it knows, ...). */
    private boolean inScope(Pod slim) {
        Profile profile = profiles.claimant(slim.getMetadata());
        if (profile == null) {
            return false;
        }
        try {
            profile.map(slim);
            return true;
        } catch (MalformedPodException e) {
            return false;
        }
    }

    private void forceRelease(Pod pod, FinalizerDecision.Forced why) {
        ObjectMeta meta = pod.getMetadata();
        if (!patching.add(meta.getUid())) {
            return;
        }
        try {
            if (patch(meta, "remove", FinalizerPatches.release(meta))) {
                metrics.finalizerForced(why);
                LOG.infof(
                        "Released pod %s/%s from %s without a recorded outcome (%s)",
                        meta.getNamespace(), meta.getName(), NAME, why.tag());
            }
        } finally {
            patching.remove(meta.getUid());
        }
    }

    private boolean patch(ObjectMeta meta, String action, String patch) {
        try {
            client.pods()
                    .inNamespace(meta.getNamespace())
                    .withName(meta.getName())
                    .patch(PatchContext.of(PatchType.JSON), patch);
            metrics.finalizerPatched(action, "done");
            return true;
        } catch (KubernetesClientException e) {
            // gone, changed since observed (a test op failed: another pod of that name, or other finalizers) or
            // forbidden: the next observation or sweep decides again
            metrics.finalizerPatched(action, "failed");
            LOG.debugf(
                    "Could not %s the finalizer of pod %s/%s: %s",
                    action, meta.getNamespace(), meta.getName(), e.getMessage());
            return false;
        }
    }

    /** True while a patch of the pod with this UID is in flight. */
    boolean isPatching(String uid) {
        return patching.contains(uid);
    }
}
