package io.stagewatch.run;

/** Where an observation came from. */
public enum Source {
    /** The pod informer's watch. */
    WATCH,
    /** The scheduled reconciliation: a LIST of the API server, or a run whose pod is gone or never started. */
    RECONCILE
}
