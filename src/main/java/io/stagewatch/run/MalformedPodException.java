package io.stagewatch.run;

/** A pod that lacks what a verdict needs, or carries values Kubernetes would never write. */
public class MalformedPodException extends RuntimeException {

    private final String problem;

    public MalformedPodException(String problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    /** A short, fixed name of what is wrong, usable as a metric tag. */
    public String problem() {
        return problem;
    }
}
