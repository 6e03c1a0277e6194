package io.stagewatch.api;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.stagewatch.StagewatchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Who may use the API, as configured: the static bearer tokens of {@code stagewatch.api.tokens} (role {@code viewer}
 * reads, {@code admin} also changes), the access tokens of an OIDC issuer ({@code stagewatch.api.auth=oidc}), or none. Without credentials the API is closed for changes (anonymous
 * callers are viewers) unless {@code stagewatch.api.insecure} opens it. Tokens are compared as SHA-256 digests in
 * constant time, against every configured token, and never logged. Weak configurations refuse to start.
 */
@ApplicationScoped
public class ApiSecurity {

    public static final String VIEWER = "viewer";
    public static final String ADMIN = "admin";
    /** The identity's attribute naming the static token it presented ({@link #tokenCredential}). */
    static final String CREDENTIAL = "stagewatch.credential";

    /** Shortest token accepted: 32 characters, as {@code openssl rand -hex 16} makes at least. */
    static final int MIN_TOKEN_LENGTH = 32;

    /** The placeholders of k8s/examples/secret.example.yaml: a deployment that kept them is refused. */
    static final Set<String> EXAMPLE_TOKENS = Set.of(
            "example-admin-token-replace-with-openssl-rand-hex-32",
            "example-viewer-token-replace-with-openssl-rand-hex-32");

    private static final Logger LOG = Logger.getLogger(ApiSecurity.class);

    private record Grant(byte[] digest, Set<String> roles) {}

    private final List<Grant> grants;
    private final boolean insecure;
    private final boolean oidc;

    @Inject
    public ApiSecurity(
            StagewatchConfig config,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidcTenantEnabled) {
        this(
                config.api().tokens().orElse(List.of()),
                config.api().insecure(),
                config.api().auth(),
                oidcTenantEnabled);
    }

    ApiSecurity(List<String> tokens, boolean insecure, StagewatchConfig.Api.Auth auth, boolean oidcTenantEnabled) {
        this.grants = parse(tokens);
        this.insecure = insecure;
        this.oidc = auth == StagewatchConfig.Api.Auth.OIDC;
        if (oidc != oidcTenantEnabled) {
            throw new IllegalArgumentException(
                    oidc
                            ? "stagewatch.api.auth=oidc needs quarkus.oidc.tenant-enabled=true and quarkus.oidc.auth-server-url"
                            : "quarkus.oidc.tenant-enabled=true needs stagewatch.api.auth=oidc (one bearer mechanism at a time)");
        }
        if (oidc && !grants.isEmpty()) {
            throw new IllegalArgumentException("stagewatch.api.auth=oidc and stagewatch.api.tokens are both set: one "
                    + "bearer mechanism at a time, remove the tokens");
        }
        if (insecure && !open()) {
            throw new IllegalArgumentException("stagewatch.api.insecure=true opens the API to anyone, yet credentials "
                    + "are configured (stagewatch.api.tokens or stagewatch.api.auth=oidc): remove one of them");
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (insecure) {
            LOG.warn("*** stagewatch.api.insecure=true: anyone who can reach this service may read and change it "
                    + "(rules, retries). For demos only. ***");
        } else if (open()) {
            LOG.warn("*** No API credentials are configured (stagewatch.api.tokens): anyone who can reach this "
                    + "service may read runs and notifications; changes are refused until an admin token is set. ***");
        }
    }

    /** True when no credential is configured: anonymous callers are viewers (or admins, when insecure). */
    public boolean open() {
        return grants.isEmpty() && !oidc;
    }

    /** True when an OIDC issuer's access tokens are the credentials ({@code stagewatch.api.auth=oidc}). */
    public boolean oidc() {
        return oidc;
    }

    public boolean insecure() {
        return insecure;
    }

    /** The roles an anonymous caller has: none when credentials are configured. */
    public Set<String> anonymousRoles() {
        if (!open()) {
            return Set.of();
        }
        return insecure ? Set.of(VIEWER, ADMIN) : Set.of(VIEWER);
    }

    /**
     * The roles of a presented token, or an empty set when it matches none. Compares with every grant, whatever
     * matched, so the time taken says nothing about the tokens.
     */
    public Set<String> rolesOf(String token) {
        byte[] presented = digest(token);
        Set<String> found = Set.of();
        for (Grant grant : grants) {
            if (MessageDigest.isEqual(grant.digest(), presented)
                    && found.size() < grant.roles().size()) {
                found = grant.roles();
            }
        }
        return found;
    }

    private static List<Grant> parse(List<String> entries) {
        List<Grant> grants = new ArrayList<>();
        for (String entry : entries) {
            int position = grants.size() + 1;
            int colon = entry.indexOf(':');
            Set<String> roles = colon < 0 ? null : roles(entry.substring(0, colon));
            String token = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (roles == null || token.isEmpty()) {
                throw new IllegalArgumentException("stagewatch.api.tokens: each entry must be viewer:<token> or "
                        + "admin:<token> (the entry at position " + position + " is not)");
            }
            if (EXAMPLE_TOKENS.contains(token)) {
                throw new IllegalArgumentException("stagewatch.api.tokens: the entry at position " + position
                        + " is the example token of k8s/examples/secret.example.yaml, known to everyone: generate one "
                        + "with `openssl rand -hex 32`");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("stagewatch.api.tokens: the token at position " + position
                        + " has " + token.length() + " characters, fewer than " + MIN_TOKEN_LENGTH
                        + ": generate one with `openssl rand -hex 32`");
            }
            grants.add(new Grant(digest(token), roles));
        }
        return List.copyOf(grants);
    }

    /**
     * The credential a caller presented, for limits per credential: {@code token:} and a fingerprint of the static
     * token (never the token), {@code oidc:} and the access token's subject, or null for an anonymous caller.
     */
    static String credential(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        String token = identity.getAttribute(CREDENTIAL);
        if (token != null) {
            return token;
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return "oidc:" + jwt.getSubject();
        }
        return "principal:" + identity.getPrincipal().getName();
    }

    /** The credential of a static token: the first 8 bytes of its SHA-256, which tell nothing of the token. */
    static String tokenCredential(String token) {
        return "token:" + HexFormat.of().formatHex(digest(token), 0, 8);
    }

    /** An admin is a viewer too, so that reads need only {@code @RolesAllowed(VIEWER)}. */
    private static Set<String> roles(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case VIEWER -> Set.of(VIEWER);
            case ADMIN -> Set.of(VIEWER, ADMIN);
            default -> null;
        };
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
