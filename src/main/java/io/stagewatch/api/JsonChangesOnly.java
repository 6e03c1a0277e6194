package io.stagewatch.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every change (POST, PUT, PATCH, DELETE) must say {@code Content-Type: application/json}, even with an empty body. A
 * cross-site HTML form can only send form or text bodies, and a script elsewhere cannot send JSON here without a CORS
 * preflight that stagewatch never grants: so no other site can make a visitor's browser change stagewatch, not even
 * in insecure mode, where no token stands in the way.
 */
public class JsonChangesOnly {

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ServerRequestFilter(preMatching = true)
    public Response requireJson(ContainerRequestContext request) {
        if (!CHANGES.contains(request.getMethod())) {
            return null;
        }
        MediaType type = request.getMediaType();
        if (type != null
                && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                && !type.isWildcardType()
                && !type.isWildcardSubtype()) {
            return null;
        }
        return new Problem(
                        "https://stagewatch.io/problems/json-required",
                        "Unsupported Media Type",
                        415,
                        "A change must carry Content-Type: application/json (an empty body is fine), so that no other web "
                                + "site can make a browser send it.")
                .toResponse();
    }
}
