package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.pipeline.WorkflowJudging;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The pod informers: one per selector of each enabled profile, on all namespaces or one per namespace of the
 * profile. Started on startup, stopped on shutdown, restarted by the reconcile loop when one stops watching. Beside
 * them, the cluster's {@link NodeWatch} (unless {@code stagewatch.nodes.enabled} is false), which reads their cache,
 * and its {@link WorkflowWatch}, the objects the profiles' pods belong to.
 */
@ApplicationScoped
public class PodWatch {

    private static final Logger LOG = Logger.getLogger(PodWatch.class);
    private final KubernetesClient client;
    private final ObservationBus bus;
    private final Profiles profiles;
    private final long pageSize;
    private final SlimPods slimPods;
    private final List<SharedIndexInformer<Pod>> informers = new CopyOnWriteArrayList<>();
    private final InformerWatchdog watchdog = new InformerWatchdog();
    /** Writes to the informers' caches: the watchdog's sign that an informer not watching yet is still listing. */
    private final LongAdder cacheWrites = new LongAdder();

    private final KubeMetrics metrics;
    /** Null when {@code stagewatch.nodes.enabled} is false. */
    private final NodeWatch nodes;

    private final WorkflowWatch workflows;

    public PodWatch(
            KubernetesClient client,
            ObservationBus bus,
            StagewatchConfig config,
            Profiles profiles,
            SlimPods slimPods,
            KubeMetrics metrics,
            NodeRisks risks,
            WorkflowJudging judging) {
        this.client = client;
        this.bus = bus;
        this.profiles = profiles;
        this.pageSize = config.reconcile().pageSize();
        this.slimPods = slimPods;
        this.metrics = metrics;
        metrics.informerWatching(this::isWatching);
        this.nodes = config.nodes().enabled()
                ? new NodeWatch(
                        config.cluster().name(),
                        client,
                        this::cachedPods,
                        risks,
                        config.nodes().deletedGrace())
                : null;
        metrics.runsAtRisk(() -> nodes == null ? 0 : nodes.atRisk());
        this.workflows =
                new WorkflowWatch(config.cluster().name(), client, profiles.enabled(), judging, metrics, pageSize);
    }

    void onStart(@Observes StartupEvent event) {
        start();
        if (nodes != null) {
            nodes.start();
        }
        workflows.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        workflows.stop();
        if (nodes != null) {
            nodes.stop();
        }
        stop();
    }

    /** Flags, clears and fails the runs on failing nodes: within 5 s of a node's change, as issue 25 asks. */
    @Scheduled(every = "1s", concurrentExecution = ConcurrentExecution.SKIP)
    void judgeNodes() {
        if (nodes != null) {
            nodes.evaluate(Instant.now());
        }
    }

    /** Every pod of the informers' caches (a pod two informers hold, twice), expanded as it is read. */
    private Stream<Pod> cachedPods() {
        return informers.stream().flatMap(informer -> informer.getStore().list().stream());
    }

    synchronized void start() {
        // the informer's LIST in pages too: unpaged, 50,000 real pods are one response of some 350 MB, all parsed into
        // full pods at once before the first is slimmed
        for (Profiles.Watch watch : profiles.watches()) {
            var pods = watch.namespace() == null
                    ? client.pods().inAnyNamespace()
                    : client.pods().inNamespace(watch.namespace());
            informers.add(start(
                    pods.withLabelSelector(watch.selector().toString())
                            .withLimit(pageSize)
                            .runnableInformer(0),
                    watch.profile()));
        }
    }

    private SharedIndexInformer<Pod> start(SharedIndexInformer<Pod> informer, Profile profile) {
        informer.itemStore(new CompactStore(slimPods, cacheWrites));
        informer.addEventHandler(new PodEventHandler(bus, slimPods, profiles, profile));
        informer.start().whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "The pod informer could not start (%s); the reconcile loop will try again",
                        failure.getMessage());
            }
        });
        return informer;
    }

    synchronized void stop() {
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
    }

    /** True when every informer holds an open watch. */
    public boolean isWatching() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    /**
     * True when the informers' caches hold the pod with this UID: its deletion, if any, has not been delivered yet. The
     * cache is looked up by namespace and name, then the UID compared: a successor pod of the same name says nothing
     * about its predecessor. (No index by UID: at 50,000 pods it would cost some 230 bytes of heap a pod.)
     */
    boolean holds(String namespace, String name, String uid) {
        return !cached(namespace, name, uid).isEmpty();
    }

    /** The informers' (slim) copies of the pod, by name and UID, one per informer whose cache holds it. */
    List<Pod> cached(String namespace, String name, String uid) {
        String key = namespace + "/" + name;
        return informers.stream()
                .map(informer -> informer.getStore().getByKey(key))
                .filter(pod -> pod != null
                        && pod.getMetadata() != null
                        && uid.equals(pod.getMetadata().getUid()))
                .toList();
    }

    /**
     * The watchdog, on its own schedule: a reconcile pass that fails (the database is down, a namespace forbids the
     * LIST) must not leave a stopped informer stopped.
     */
    @Scheduled(every = "{stagewatch.reconcile.watchdog-interval}", concurrentExecution = ConcurrentExecution.SKIP)
    void watchdog() {
        restartIfNotWatching();
        if (nodes != null) {
            nodes.restartIfStopped();
        }
        workflows.restartStopped();
    }

    /**
     * Restarts the informers when the {@link InformerWatchdog} says so.
     *
     * @return true when the informers were restarted
     */
    synchronized boolean restartIfNotWatching() {
        boolean stopped = informers.stream()
                .anyMatch(informer -> informer.stopped().toCompletableFuture().isDone());
        boolean restart = watchdog.restart(stopped, isWatching(), cacheWrites.sum());
        if (restart) {
            LOG.warn("The pod informer is not watching; restarting it");
            metrics.informerRestarted();
            stop();
            start();
        }
        return restart;
    }

    /**
     * The informer's cache: each pod as its slim copy's bytes ({@link SlimPods#compact}), handed out as a
     * {@link CachedPod} that expands them when first read (an update's previous pod, a lookup by name).
     */
    static final class CompactStore implements ItemStore<Pod> {

        private final Map<String, byte[]> pods = new ConcurrentHashMap<>();
        private final SlimPods slimPods;
        private final LongAdder writes;

        CompactStore(SlimPods slimPods, LongAdder writes) {
            this.slimPods = slimPods;
            this.writes = writes;
        }

        @Override
        public String getKey(Pod pod) {
            return pod instanceof CachedPod cached ? cached.key : Cache.metaNamespaceKeyFunc(pod);
        }

        @Override
        public Pod put(String key, Pod pod) {
            writes.increment();
            return cached(key, pods.put(key, slimPods.compact(pod)));
        }

        @Override
        public Pod remove(String key) {
            writes.increment();
            return cached(key, pods.remove(key));
        }

        @Override
        public Stream<String> keySet() {
            return pods.keySet().stream();
        }

        @Override
        public Stream<Pod> values() {
            return pods.entrySet().stream().map(entry -> new CachedPod(slimPods, entry.getKey(), entry.getValue()));
        }

        @Override
        public int size() {
            return pods.size();
        }

        @Override
        public Pod get(String key) {
            return cached(key, pods.get(key));
        }

        private Pod cached(String key, byte[] compact) {
            return compact == null ? null : new CachedPod(slimPods, key, compact);
        }
    }

    /**
     * A pod of the cache, expanded from its bytes when first read. After each LIST the informer takes every cached pod
     * at once (fabric8's {@code ProcessorStore.retainAll} lists them to find the pods deleted meanwhile, and takes the
     * first LIST's add events from the cache too), and reads no more than the keys of most: expanded at once, 50,000
     * slim pods are some 140 MB of heap, which made a 256 MB heap run out at the first LIST. Its getters expand it;
     * Lombok's equals, hashCode and toString go through them too.
     */
    private static final class CachedPod extends Pod {

        private final SlimPods slimPods;
        private final String key;
        /** The bytes, until expanded. */
        private byte[] compact;

        CachedPod(SlimPods slimPods, String key, byte[] compact) {
            this.slimPods = slimPods;
            this.key = key;
            this.compact = compact;
        }

        private synchronized void expand() {
            if (compact != null) {
                Pod pod = slimPods.expand(compact);
                compact = null;
                super.setMetadata(pod.getMetadata());
                super.setSpec(pod.getSpec());
                super.setStatus(pod.getStatus());
            }
        }

        @Override
        public ObjectMeta getMetadata() {
            expand();
            return super.getMetadata();
        }

        @Override
        public PodSpec getSpec() {
            expand();
            return super.getSpec();
        }

        @Override
        public PodStatus getStatus() {
            expand();
            return super.getStatus();
        }
    }
}
