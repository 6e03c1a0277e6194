package io.stagewatch.kube;

import io.stagewatch.run.RunStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * What stagewatch does with its status-capture finalizer on one pod, decided from plain facts about the pod; pure.
 * {@link StatusCaptureFinalizer} gathers the facts and carries the decision out.
 */
final class FinalizerDecision {

    /** What to do with a pod's hold. */
    enum Action {
        /** Add the finalizer (unless the pod has it) and the held label. */
        HOLD,
        /** Remove the finalizer and the held label. */
        RELEASE,
        NOTHING
    }

    /** Why a held pod is let go without a recorded outcome: the tag {@code why} of stagewatch.finalizer.forced. */
    enum Forced {
        /** The finalizer is switched off. */
        DISABLED("disabled"),
        /** No enabled profile can read the pod's run any longer. */
        OUT_OF_SCOPE("out-of-scope"),
        /** The pod's deletion has waited longer than stagewatch.finalizer.max-hold. */
        MAX_HOLD("max-hold");

        private final String tag;

        Forced(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    private FinalizerDecision() {}

    /**
     * Once the run's status is recorded: an unfinished run's pod is held, unless its deletion has begun (it is never
     * held anew then); a finished one's is released. A pod held without the label (by a release that did not set it)
     * is held again, which labels it.
     *
     * @param holds    the pod has the finalizer
     * @param labelled the pod has the held label
     * @param deleting the pod's deletion has begun
     */
    static Action afterRecorded(
            boolean enabled, RunStatus recorded, boolean holds, boolean labelled, boolean deleting) {
        if (!enabled) {
            return Action.NOTHING;
        }
        if (recorded.isTerminal()) {
            return holds ? Action.RELEASE : Action.NOTHING;
        }
        return (!holds || !labelled) && !deleting ? Action.HOLD : Action.NOTHING;
    }

    /**
     * In the sweep of labelled pods, whatever their run: why this one must be released now, or nothing when it may stay
     * held until its outcome is recorded.
     *
     * @param holds                the pod has the finalizer
     * @param inScope              an enabled profile claims the pod and can read its run
     * @param deletionRequested    when the pod's deletion was asked for (its deletion timestamp less its grace
     *                             period), or null
     * @param holdStartedBefore    now less stagewatch.finalizer.max-hold
     */
    static Optional<Forced> inSweep(
            boolean enabled, boolean holds, boolean inScope, Instant deletionRequested, Instant holdStartedBefore) {
        if (!holds) {
            return Optional.empty();
        }
        if (!enabled) {
            return Optional.of(Forced.DISABLED);
        }
        if (!inScope) {
            return Optional.of(Forced.OUT_OF_SCOPE);
        }
        if (deletionRequested != null && deletionRequested.isBefore(holdStartedBefore)) {
            return Optional.of(Forced.MAX_HOLD);
        }
        return Optional.empty();
    }
}
