package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.pipeline.KnownRuns;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.platform.Profiles;
import io.stagewatch.run.FailureReason;
import io.stagewatch.run.MalformedPodException;
import io.stagewatch.run.PodClassifier;
import io.stagewatch.run.Source;
import io.stagewatch.run.StartWait;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.ActiveRun;
import io.stagewatch.store.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The authoritative pass: LIST every workflow pod (not the informer cache), observe each, fail the unfinished runs
 * whose pod is gone or that never started. (The informer's watchdog runs on its own schedule, in {@link PodWatch}.)
 * Only the runs of this cluster are judged: the database may hold runs of other clusters, whose pods no LIST of this
 * one can show (the same namespace and pod names included).
 */
@ApplicationScoped
public class ReconcileLoop {

    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

    private final KubernetesClient client;
    private final RunRepository runs;
    private final ObservationBus bus;
    private final PodWatch watch;
    private final KnownRuns known;
    private final SlimPods slimPods;
    private final StagewatchConfig config;
    private final Profiles profiles;
    private final KubeMetrics metrics;
    private final Set<String> clusters;
    private volatile Set<String> lastListed;

    public ReconcileLoop(
            KubernetesClient client,
            RunRepository runs,
            ObservationBus bus,
            PodWatch watch,
            KnownRuns known,
            SlimPods slimPods,
            StagewatchConfig config,
            Profiles profiles,
            KubeMetrics metrics) {
        this.client = client;
        this.runs = runs;
        this.bus = bus;
        this.watch = watch;
        this.known = known;
        this.slimPods = slimPods;
        this.config = config;
        this.profiles = profiles;
        this.metrics = metrics;
        this.clusters = Set.of(config.cluster().name());
    }

    @Scheduled(every = "{stagewatch.reconcile.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reconcile()
                .onFailure()
                .invoke(failure -> LOG.warnf("Reconcile pass failed: %s", failure.getMessage()))
                .onFailure()
                .invoke(metrics::reconcileFailed)
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** One pass; the active runs are read before the LIST begins, so runs first seen during it are never judged. */
    public Uni<Void> reconcile() {
        long start = System.nanoTime();
        return runs.active(clusters)
                .flatMap(active -> Uni.createFrom()
                        .item(this::listAndObserve)
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .invoke(listing -> judge(active, listing)))
                .invoke(listing -> {
                    lastListed = Set.copyOf(listing.uids());
                    known.retainOnly(listing.uids());
                    metrics.reconciled(Duration.ofNanos(System.nanoTime() - start));
                })
                .replaceWithVoid();
    }

    /** The UIDs of every pod the last complete LIST found; null before the first. */
    public Set<String> lastListedPods() {
        return lastListed;
    }

    /** The clusters whose pods the LIST shows: only their runs can be judged from the absence of a pod. */
    public Set<String> clusters() {
        return clusters;
    }

    /** What one LIST found: every pod's UID, and the pods still waiting for their containers to start. */
    private record Listing(Set<String> uids, Map<String, StartWait> waiting) {}

    /**
     * Lists every workflow pod page by page, with each selector of each enabled profile, and publishes an observation
     * of each pod once (by the LIST of the profile that claims it) unless the pipeline has decided on it in this very
     * version: a pod whose resourceVersion is the one last decided on holds nothing new, whatever the watch delivered
     * or missed. (Every pod is still listed: vanished pods and start timeouts are judged on the whole LIST.)
     */
    private Listing listAndObserve() {
        Listing listed = new Listing(new HashSet<>(), new HashMap<>());
        profiles.watches().forEach(watch -> listPages(watch, listed));
        return listed;
    }

    private void listPages(Profiles.Watch watch, Listing listed) {
        String token = null;
        do {
            PodList page = page(watch, token);
            for (Pod pod : page.getItems()) {
                if (pod.getMetadata() != null && pod.getMetadata().getUid() != null) {
                    String uid = pod.getMetadata().getUid();
                    listed.uids().add(uid);
                    startWait(pod).ifPresent(wait -> listed.waiting().put(uid, wait));
                    if (known.decidedOn(uid, pod.getMetadata().getResourceVersion())) {
                        metrics.unchanged();
                        continue;
                    }
                }
                Pod slim = slimPods.slim(pod);
                // a pod another profile's selector lists too is published by that profile's LIST only
                if (profiles.claimant(slim.getMetadata()) == watch.profile()) {
                    bus.publish(new Observation.PodSeen(Source.RECONCILE, slim, false));
                }
            }
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
    }

    /**
     * One page of a LIST, requested through the client's HTTP client (its authentication and TLS) and parsed here, on
     * the pass's worker thread. fabric8's own {@code list()} parses the response on the Vert.x event loop that
     * received it, which the database client and the HTTP API share: a page of 500 real pods (some 3.5 MB) held it
     * for most of a second, and a pass at 50,000 pods for seconds on end.
     */
    private PodList page(Profiles.Watch watch, String token) {
        String path = watch.namespace() == null
                ? "api/v1/pods"
                : "api/v1/namespaces/" + URLUtils.encodeToUTF(watch.namespace()) + "/pods";
        StringBuilder uri = new StringBuilder(
                        URLUtils.join(client.getMasterUrl().toString(), path))
                .append("?labelSelector=")
                .append(URLUtils.encodeToUTF(watch.selector().toString()))
                .append("&limit=")
                .append(config.reconcile().pageSize());
        if (token != null) {
            uri.append("&continue=").append(URLUtils.encodeToUTF(token));
        }
        HttpClient http = client.getHttpClient();
        HttpResponse<byte[]> response;
        try {
            var sent = http.sendAsync(
                    http.newHttpRequestBuilder().uri(uri.toString()).build(), byte[].class);
            int timeout = client.getConfiguration().getRequestTimeout(); // 0 or less: none, as fabric8 reads it
            response = timeout > 0 ? sent.get(timeout, TimeUnit.MILLISECONDS) : sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("LIST /" + path + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException("LIST /" + path + " failed: " + e, e);
        }
        if (!response.isSuccessful()) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new KubernetesClientException(
                    "LIST /" + path + " answered " + response.code() + ": "
                            + body.substring(0, Math.min(body.length(), 300)),
                    response.code(),
                    null);
        }
        return client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(response.body()), PodList.class);
    }

    private void judge(List<ActiveRun> active, Listing listed) {
        Instant waitingSince = Instant.now().minus(config.reconcile().pendingTimeout());
        boolean watching = watch.isWatching();
        for (ActiveRun run : active) {
            if (!profiles.watches(run.platform(), run.namespace())) {
                continue; // not listed because not watched: nothing is known of its pod
            }
            StartWait wait = listed.waiting().get(run.uid());
            if (!listed.uids().contains(run.uid())) {
                if (watching && watch.holds(run.namespace(), run.pod(), run.uid())) {
                    continue; // its deletion is on the way through the watch, with the pod's final status
                }
                metrics.runVanished();
                bus.publish(new Observation.RunJudged(
                        run.uid(),
                        Verdict.failed(
                                FailureReason.POD_VANISHED,
                                "The pod disappeared without a final status being observed.")));
            } else if (wait != null
                    && Objects.requireNonNullElse(wait.since(), run.firstSeenAt())
                            .isBefore(waitingSince)) {
                metrics.runStartTimedOut();
                String why = wait.reason() == null ? "" : " (" + wait.reason() + ")";
                bus.publish(new Observation.RunJudged(
                        run.uid(),
                        Verdict.failed(
                                FailureReason.START_TIMEOUT,
                                "The pod's containers did not start within "
                                        + config.reconcile().pendingTimeout() + why + ".")));
            }
        }
    }

    /** A malformed pod is the pipeline's to count and report: here it is simply not judged. */
    private static Optional<StartWait> startWait(Pod pod) {
        try {
            return PodClassifier.startWait(pod);
        } catch (MalformedPodException e) {
            return Optional.empty();
        }
    }
}
