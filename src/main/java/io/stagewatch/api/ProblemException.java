package io.stagewatch.api;

/** A failure of a request that the client can fix or must know about, answered as a problem response. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private Integer retryAfterSeconds;

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.problem = new Problem("https://stagewatch.io/problems/" + type, title, status, detail);
    }

    public static ProblemException badRequest(String parameter, String detail) {
        return new ProblemException(400, "invalid-parameter", "Invalid parameter '" + parameter + "'", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    /** Tells the client when to try again ({@code Retry-After}). */
    public ProblemException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public Problem problem() {
        return problem;
    }

    /** Seconds after which the client may try again, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
