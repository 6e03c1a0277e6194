package io.stagewatch.run;

/** Whose fault a failed run is. */
public enum FailureCause {
    /** The job's own fault. */
    WORKLOAD,
    /** An abnormal termination: the platform, not the job, ended the run. */
    INFRASTRUCTURE
}
