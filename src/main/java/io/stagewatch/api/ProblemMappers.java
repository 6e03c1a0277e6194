package io.stagewatch.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure of the REST API leaves as {@code application/problem+json}. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = e.problem().toResponse();
        return e.retryAfterSeconds() == null
                ? response
                : Response.fromResponse(response)
                        .header("Retry-After", e.retryAfterSeconds())
                        .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return new Problem("about:blank", title, status, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Request failed", e);
        return new Problem("about:blank", "Internal Server Error", 500, "The request could not be completed.")
                .toResponse();
    }
}
