package io.stagewatch.run;

/** A run's status. Statuses only move forward; the two terminal ones are absorbing. */
public enum RunStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }

    /** True when going from this status to {@code next} would move the run backwards or out of a terminal status. */
    public boolean forbids(RunStatus next) {
        return isTerminal() || next.ordinal() < ordinal();
    }
}
