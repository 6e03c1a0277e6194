package io.stagewatch.pipeline;

import io.fabric8.kubernetes.api.model.Pod;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;

/** Something a source saw about a run; decisions are made on these, in order per run. */
public sealed interface Observation {

    Source source();

    /** The run's pod UID; null only for a malformed pod. */
    String uid();

    /** {@link System#nanoTime()} when the source produced the observation. */
    long receivedNanos();

    /** A pod as the API server showed it; {@code deleted} when it is the final state from a deletion. */
    record PodSeen(Source source, Pod pod, boolean deleted, long receivedNanos) implements Observation {

        public PodSeen(Source source, Pod pod, boolean deleted) {
            this(source, pod, deleted, System.nanoTime());
        }

        @Override
        public String uid() {
            return pod.getMetadata() == null ? null : pod.getMetadata().getUid();
        }
    }

    /** A run the reconcile loop judged without a pod: its pod vanished, or it never started. */
    record RunJudged(Source source, String uid, Verdict verdict, long receivedNanos) implements Observation {

        public RunJudged(String uid, Verdict verdict) {
            this(Source.RECONCILE, uid, verdict, System.nanoTime());
        }
    }
}
