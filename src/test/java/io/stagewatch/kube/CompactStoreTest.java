package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.informers.impl.cache.ProcessorStore;
import io.fabric8.kubernetes.client.informers.impl.cache.SharedProcessor;
import io.stagewatch.testing.AllProfiles;
import io.stagewatch.testing.Pods;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The informer's cache through fabric8's own LIST handling: after a LIST the informer takes every cached pod at once
 * (to send the first LIST's adds, to find the pods deleted meanwhile), and they must stay bytes until read.
 */
class CompactStoreTest {

    private static final int PODS = 1_000;

    private final AtomicInteger expanded = new AtomicInteger();
    private final SlimPods slimPods = new SlimPods(AllProfiles.config(Map.of()), AllProfiles.profiles()) {
        @Override
        public Pod expand(byte[] compact) {
            expanded.incrementAndGet();
            return super.expand(compact);
        }
    };
    private final CacheImpl<Pod> cache = new CacheImpl<>();
    private final SharedProcessor<Pod> processor = new SharedProcessor<>(Runnable::run, "test");
    private final ProcessorStore<Pod> store = new ProcessorStore<>(cache, processor);
    private final List<Pod> added = new ArrayList<>();
    private final List<Pod> deleted = new ArrayList<>();

    CompactStoreTest() {
        cache.setItemStore(new PodWatch.CompactStore(slimPods, new LongAdder()));
        processor.addProcessorListener(
                new ResourceEventHandler<Pod>() {
                    @Override
                    public void onAdd(Pod pod) {
                        added.add(pod);
                    }

                    @Override
                    public void onUpdate(Pod previous, Pod pod) {}

                    @Override
                    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                        deleted.add(pod);
                    }
                },
                0,
                List::of);
    }

    @Test
    void theFirstListsAddsAreTakenFromTheCacheWithoutExpandingAPod() {
        List<Pod> pods = pods("1");

        list(pods);

        assertEquals(0, expanded.get(), "pods expanded to be handed on");
        assertEquals(PODS, added.size());
        assertEquals(slimPods.slim(pods.get(7)), added.get(7));
    }

    @Test
    void aRelistExpandsOnlyWhatItReplacesOneByOneAndThePodItFindsDeleted() {
        List<Pod> listed = pods("1");
        list(listed);
        List<Pod> pods = pods("2");
        pods.remove(500);
        Pod gone = listed.get(500);
        int before = expanded.get();

        pages(pods);
        // fabric8 reads the resourceVersion of each pod an update replaces: one at a time, garbage at once
        assertEquals(PODS - 1, expanded.get() - before, "pods expanded by the relist's updates");
        before = expanded.get();
        store.retainAll(keys(pods), null);
        assertEquals(1, expanded.get() - before, "pods expanded to find the deleted one");

        assertEquals(List.of(slimPods.slim(gone)), deleted);
    }

    /** A LIST as fabric8's Reflector reads it: its pages into the store, then the pods not listed swept out. */
    private void list(List<Pod> pods) {
        pages(pods);
        store.retainAll(keys(pods), null);
    }

    private void pages(List<Pod> pods) {
        int half = pods.size() / 2;
        store.update(pods.subList(0, half));
        store.update(pods.subList(half, pods.size()));
    }

    private Set<String> keys(List<Pod> pods) {
        Set<String> keys = new HashSet<>();
        pods.forEach(pod -> keys.add(cache.getKey(pod)));
        return keys;
    }

    /** The same pods every time, in the given resourceVersion. */
    private static List<Pod> pods(String resourceVersion) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            Pod pod = Pods.workflow("ci", "build-" + i, "ci")
                    .uid("uid-" + i)
                    .running()
                    .build();
            pod.getMetadata().setResourceVersion(resourceVersion);
            pods.add(pod);
        }
        return pods;
    }
}
