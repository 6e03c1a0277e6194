package io.stagewatch.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the bearer token of a request ({@code Authorization: Bearer <token>}, or {@code ?access_token=} on
 * {@code GET /api/feed} only, since a browser's EventSource cannot send headers) and has {@link StaticTokenProvider}
 * check it, or, with {@code stagewatch.api.auth=oidc}, leaves it to quarkus-oidc. A request without credentials is
 * anonymous, with the roles {@link ApiSecurity#anonymousRoles()} gives. A malformed header, or a token in the query of
 * any other request, fails at once: a clear 401, never a silent anonymous request.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    static final String FEED = "/api/feed";
    static final String QUERY_TOKEN = "access_token";
    private static final String BEARER = "Bearer ";
    static final String DETAIL = "stagewatch.detail";
    static final String CHALLENGE = "Bearer realm=\"stagewatch\"";

    private final ApiSecurity security;

    public BearerTokenMechanism(ApiSecurity security) {
        this.security = security;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String token;
        try {
            token = token(context);
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
        if (token == null) {
            Set<String> roles = security.anonymousRoles();
            return roles.isEmpty()
                    ? Uni.createFrom().nullItem()
                    : Uni.createFrom()
                            .item(QuarkusSecurityIdentity.builder()
                                    .setAnonymous(true)
                                    .addRoles(roles)
                                    .build());
        }
        if (security.oidc()) {
            // quarkus-oidc's own mechanism, next in line, verifies the token; it reads the header only, so the feed's
            // query token is handed to it there
            if (context.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
                context.request().headers().set(HttpHeaders.AUTHORIZATION, BEARER + token);
            }
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new StaticTokenRequest(token));
    }

    /** The presented token, null when there is none; fails for a malformed header or a token in the wrong place. */
    static String token(RoutingContext context) {
        List<String> query = context.queryParam(QUERY_TOKEN);
        if (!query.isEmpty()
                && !(context.request().method() == HttpMethod.GET && FEED.equals(context.normalizedPath()))) {
            throw rejected("?access_token= is accepted on GET /api/feed only (a browser's EventSource cannot send "
                    + "headers): send the header Authorization: Bearer <token>.");
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            String token = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? header.substring(BEARER.length()).trim()
                    : "";
            if (token.isEmpty()) {
                throw rejected("The Authorization header must be 'Bearer <token>'.");
            }
            return token;
        }
        if (query.size() > 1 || (query.size() == 1 && query.get(0).isBlank())) {
            throw rejected("?access_token= must be given once, with a token.");
        }
        return query.isEmpty() ? null : query.get(0);
    }

    /** A failed authentication whose detail the 401 problem may show: it names no secret. */
    static AuthenticationFailedException rejected(String detail) {
        return new AuthenticationFailedException(detail, Map.of(DETAIL, detail));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    /** Before quarkus-oidc's mechanism, so that a malformed header or a misplaced token fails the same way under OIDC. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(StaticTokenRequest.class);
    }
}
