package io.stagewatch.workflow;

/** A workflow object that lacks what a verdict needs, or carries values its controller would never write. */
public class MalformedWorkflowException extends RuntimeException {

    private final String problem;

    /** @param detail names fields, never quotes a value that is not whitelisted */
    public MalformedWorkflowException(String problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    /** A short, fixed name of what is wrong, usable as a metric tag. */
    public String problem() {
        return problem;
    }
}
