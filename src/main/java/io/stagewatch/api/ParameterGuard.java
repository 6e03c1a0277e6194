package io.stagewatch.api;

import io.stagewatch.run.ClusterText;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A query or path parameter holding a control character (a NUL, an escape, a carriage return; tab and line feed
 * aside) is a 400 problem that names it, for every resource, before any reaches a resource: no value stagewatch ever
 * stores or shows holds one ({@link ClusterText}), and PostgreSQL refuses a NUL in a statement's text, which made such
 * a request a 500.
 */
public class ParameterGuard {

    @ServerRequestFilter
    public Response refuseControlCharacters(UriInfo uri) {
        String bad = firstUnclean(uri.getPathParameters());
        if (bad == null) {
            bad = firstUnclean(uri.getQueryParameters());
        }
        return bad == null
                ? null
                : ProblemException.badRequest(bad, "'" + bad + "' must not hold a control character")
                        .problem()
                        .toResponse();
    }

    /** The name of the first parameter with a value that is not clean text, or null. */
    private static String firstUnclean(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                if (!ClusterText.isClean(value)) {
                    return ClusterText.name(parameter.getKey());
                }
            }
        }
        return null;
    }
}
