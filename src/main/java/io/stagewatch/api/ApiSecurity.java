package io.stagewatch.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.StartupEvent;
import io.stagewatch.StagewatchConfig;

/**
 * Bearer tokens for everything under {@code /api}: {@code viewer} reads, {@code admin} also changes (any method but
 * GET). Tokens are compared as SHA-256 digests in constant time, against every configured token, and never logged.
 * Browsers cannot set headers on an EventSource, so a GET may carry its token as {@code ?access_token=} instead.
 */
@ApplicationScoped
public class ApiSecurity {

    private static final Logger LOG = Logger.getLogger(ApiSecurity.class);
    private static final String BEARER = "Bearer ";

    enum Role {
        VIEWER,
        ADMIN
    }

    private record Grant(byte[] digest, Role role) {
    }

    private final List<Grant> grants = new ArrayList<>();

    public ApiSecurity(StagewatchConfig config) {
        for (String entry : config.api().tokens().orElse(List.of())) {
            int colon = entry.indexOf(':');
            Role role = colon < 0 ? null : role(entry.substring(0, colon));
            String token = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (role == null || token.isEmpty()) {
                throw new IllegalArgumentException("stagewatch.api.tokens: each entry must be viewer:<token> or "
                        + "admin:<token> (the entry at position " + (grants.size() + 1) + " is not)");
            }
            grants.add(new Grant(digest(token), role));
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (grants.isEmpty()) {
            LOG.warn("*** stagewatch.api.tokens is not set: the REST API and the feed are open to anyone who can reach "
                    + "this service, including rule changes. Set viewer and admin tokens before exposing it. ***");
        }
    }

    @ServerRequestFilter
    public Response authorize(ContainerRequestContext request) {
        if (grants.isEmpty() || !request.getUriInfo().getPath().startsWith("/api")) {
            return null;
        }
        boolean reading = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
        String token = token(request, reading);
        if (token == null) {
            return unauthorized("A bearer token is required.");
        }
        Role role = roleOf(token);
        if (role == null) {
            return unauthorized("The bearer token is not valid.");
        }
        if (!reading && role != Role.ADMIN) {
            return new Problem("https://stagewatch.io/problems/forbidden", "Forbidden", 403,
                    "This request changes stagewatch and needs the admin role.").toResponse();
        }
        return null;
    }

    private static String token(ContainerRequestContext request, boolean reading) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).trim();
        }
        if (reading) {
            return request.getUriInfo().getQueryParameters().getFirst("access_token");
        }
        return null;
    }

    /** Compares with every grant, whatever matched, so the time taken says nothing about the tokens. */
    private Role roleOf(String token) {
        byte[] presented = digest(token);
        Role found = null;
        for (Grant grant : grants) {
            if (MessageDigest.isEqual(grant.digest(), presented) && found != Role.ADMIN) {
                found = grant.role();
            }
        }
        return found;
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(new Problem("https://stagewatch.io/problems/unauthorized", "Unauthorized", 401,
                detail).toResponse()).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"stagewatch\"").build();
    }

    private static Role role(String name) {
        try {
            return Role.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
