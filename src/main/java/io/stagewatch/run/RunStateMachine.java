package io.stagewatch.run;

/**
 * Turns the current status of a run and a new verdict into a decision. PENDING → RUNNING → SUCCEEDED | FAILED,
 * PENDING → SUCCEEDED | FAILED; terminal statuses never change.
 */
public final class RunStateMachine {

    private static final Decision NO_CHANGE = new Decision.NoChange();

    private RunStateMachine() {}

    /**
     * @param current the run's recorded status, or null when the run has not been recorded yet
     * @param verdict what the latest observation says
     */
    public static Decision decide(RunStatus current, Verdict verdict) {
        RunStatus next = verdict.status();
        if (current == null) {
            return new Decision.Transition(null, verdict);
        }
        if (current == next) {
            return NO_CHANGE;
        }
        if (current.isTerminal() && verdict.reason() != null && verdict.reason().inferredFromAbsence()) {
            return NO_CHANGE;
        }
        if (current.forbids(next)) {
            return new Decision.Rejected(current, next);
        }
        return new Decision.Transition(current, verdict);
    }
}
