package io.stagewatch.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Authentication and authorization failures as problems: 401 with {@code WWW-Authenticate: Bearer} when credentials
 * are missing or wrong, 403 when they do not allow the request, and a 403 that says how to configure a token when
 * stagewatch has no credentials at all and is therefore closed for changes.
 */
public class SecurityProblems {

    private final ApiSecurity security;

    public SecurityProblems(ApiSecurity security) {
        this.security = security;
    }

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e) {
        String detail = e.getAttribute(BearerTokenMechanism.DETAIL);
        return unauthorized(detail != null ? detail : "The bearer token is not valid.");
    }

    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e) {
        if (security.open()) {
            return new Problem(
                            "https://stagewatch.io/problems/closed-for-changes",
                            "Closed for changes",
                            403,
                            "No API credentials are configured, so stagewatch accepts no changes. Set "
                                    + "stagewatch.api.tokens=admin:<token>,viewer:<token> (tokens of 32 or more characters, "
                                    + "e.g. `openssl rand -hex 32`) or stagewatch.api.auth=oidc, and send "
                                    + "Authorization: Bearer <token>. stagewatch.api.insecure=true opens it to anyone (demos only).")
                    .toResponse();
        }
        return unauthorized("A bearer token is required: send Authorization: Bearer <token>.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return new Problem(
                        "https://stagewatch.io/problems/forbidden",
                        "Forbidden",
                        403,
                        "Your role does not allow this request: reads need the viewer role, changes the admin role.")
                .toResponse();
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(
                        new Problem("https://stagewatch.io/problems/unauthorized", "Unauthorized", 401, detail)
                                .toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, BearerTokenMechanism.CHALLENGE)
                .build();
    }
}
