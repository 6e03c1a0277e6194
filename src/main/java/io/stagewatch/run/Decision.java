package io.stagewatch.run;

/** What the state machine makes of a verdict about a run. */
public sealed interface Decision {

    /** Move the run from {@code from} (null for a run not seen before) to the verdict's status. */
    record Transition(RunStatus from, Verdict verdict) implements Decision {}

    /** Nothing to record: the verdict repeats what is known, or only infers what was already seen. */
    record NoChange() implements Decision {}

    /** The verdict contradicts a terminal status or moves the run backwards; it is never applied. */
    record Rejected(RunStatus from, RunStatus to) implements Decision {}
}
