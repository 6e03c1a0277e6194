package io.stagewatch.pipeline;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this instance knows of the runs it decided on ({@link KnownRun}), by pod UID: the pipeline reads and writes it
 * as it decides; the bus and the reconcile loop ask it whether an observation can be left out, since the very version
 * of a pod last decided on holds nothing new.
 */
@Singleton
public class KnownRuns {

    private final Map<String, KnownRun> runs = new ConcurrentHashMap<>();

    KnownRun get(String uid) {
        return runs.get(uid);
    }

    void put(String uid, KnownRun run) {
        runs.put(uid, run);
    }

    void remove(String uid) {
        runs.remove(uid);
    }

    /**
     * True when this instance's last decision on the run was made on this very version of its pod, and succeeded: the
     * same version observed again cannot change anything. False for a version never decided on, after a failed
     * decision, a malformed pod, a dropped observation, or {@link #reconsider}.
     */
    public boolean decidedOn(String uid, String resourceVersion) {
        KnownRun run = runs.get(uid);
        return run != null && resourceVersion != null && resourceVersion.equals(run.decidedOn());
    }

    /** Forgets which version of the run's pod was decided on, so that the next observation of it is decided again. */
    public void reconsider(String uid) {
        runs.computeIfPresent(uid, (key, run) -> run.withDecidedOn(null));
    }

    /** Forgets the runs whose pods were not in the latest LIST; they are read again if seen again. */
    public void retainOnly(Set<String> listedUids) {
        runs.keySet().retainAll(listedUids);
    }
}
