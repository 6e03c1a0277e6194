package io.stagewatch.pipeline;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.stagewatch.run.Source;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the watch and the reconcile loop publish, and the pipeline reads. At most one observation per run waits: a
 * newer one takes the place of the one not yet taken (the pipeline decides on the latest state, and the state
 * machine never needed the states in between), so a database outage, during which every reconcile pass observes every
 * pod again, holds one observation per run, not one per pass. The stream carries the runs' keys; the pipeline takes
 * the observation when it comes to decide. A waiting pod sighting holds its pod as bytes ({@link PodCodec}): some 350
 * bytes a run, so that every pod of a large cluster can wait at once, as they all do at startup. Publishing never
 * blocks; beyond {@code capacity} undecided runs new ones are dropped and counted, and the next reconcile pass observes
 * every pod again.
 */
public class ObservationBus {

    private final UnicastProcessor<String> keys = UnicastProcessor.create();
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger undecided = new AtomicInteger();
    private final AtomicLong unidentified = new AtomicLong();
    private final int capacity;
    private final PodCodec codec;
    private final KnownRuns known;
    private final PipelineMetrics metrics;

    public ObservationBus(int capacity, PodCodec codec, KnownRuns known, PipelineMetrics metrics) {
        this.capacity = capacity;
        this.codec = codec;
        this.known = known;
        this.metrics = metrics;
        metrics.undecided(undecided::get);
    }

    /** Hands an observation to the pipeline, unless it holds nothing new; returns false when it was dropped. */
    public boolean publish(Observation observation) {
        if (decidedAlready(observation)) {
            metrics.unchanged();
            return true;
        }
        String key = observation.uid() != null ? observation.uid() : "unidentified-" + unidentified.incrementAndGet();
        Waiting published = waiting(observation);
        boolean[] queued = {false};
        boolean[] full = {false};
        waiting.compute(key, (k, older) -> {
            if (older != null) {
                metrics.superseded();
                return older.isAnEnd() && !published.isAnEnd() ? older : published;
            }
            if (undecided.incrementAndGet() > capacity) {
                undecided.decrementAndGet();
                full[0] = true;
                return null;
            }
            queued[0] = true;
            return published;
        });
        if (full[0]) {
            metrics.dropped();
            return false;
        }
        if (queued[0]) {
            keys.onNext(key);
        }
        return true;
    }

    /** A sighting of a live pod in the version last decided on; never the news of its end. */
    private boolean decidedAlready(Observation observation) {
        return observation instanceof Observation.PodSeen seen
                && !seen.deleted()
                && seen.pod().getMetadata() != null
                && known.decidedOn(
                        seen.pod().getMetadata().getUid(),
                        seen.pod().getMetadata().getResourceVersion());
    }

    /** The keys of runs with an observation waiting, in the order they began to wait. */
    Multi<String> keys() {
        return keys;
    }

    /** Takes the waiting observation of a run; null when there is none. */
    Observation take(String key) {
        Waiting taken = waiting.remove(key);
        return taken == null ? null : taken.observation(codec);
    }

    /** Called by the pipeline once a taken observation is decided (or skipped). */
    void decided() {
        undecided.decrementAndGet();
    }

    /** Runs with an observation published and not yet decided: at most one each. */
    public int undecided() {
        return undecided.get();
    }

    private Waiting waiting(Observation observation) {
        if (observation instanceof Observation.PodSeen seen) {
            try {
                return new Sighting(seen.source(), codec.compact(seen.pod()), seen.deleted(), seen.receivedNanos());
            } catch (RuntimeException e) {
                // a pod that cannot be written (a bug) waits as published: the pipeline decides on it, or counts why
                // not
                return new AsPublished(observation);
            }
        }
        return new AsPublished(observation);
    }

    /**
     * An observation as it waits. It replaces a waiting one, except that a live sighting never replaces the news of
     * the pod's end (its deletion, or the reconcile loop's judgement), which no later sighting can contradict.
     */
    private sealed interface Waiting {

        /** The news of the pod's end. */
        boolean isAnEnd();

        Observation observation(PodCodec codec);
    }

    /** A pod sighting, its pod held as bytes. */
    private record Sighting(Source source, byte[] pod, boolean deleted, long receivedNanos) implements Waiting {

        @Override
        public boolean isAnEnd() {
            return deleted;
        }

        @Override
        public Observation observation(PodCodec codec) {
            return new Observation.PodSeen(source, codec.expand(pod), deleted, receivedNanos);
        }
    }

    /** A judgement, or a pod sighting whose pod could not be written as bytes. */
    private record AsPublished(Observation observation) implements Waiting {

        @Override
        public boolean isAnEnd() {
            return observation instanceof Observation.RunJudged
                    || observation instanceof Observation.PodSeen seen && seen.deleted();
        }

        @Override
        public Observation observation(PodCodec codec) {
            return observation;
        }
    }
}
