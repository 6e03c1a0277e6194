package io.stagewatch.api;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The roles of an OIDC caller: quarkus-oidc reads the values of {@code stagewatch.api.oidc.roles-claim}; those named
 * in {@code admin-roles} make an admin (and a viewer), those in {@code viewer-roles} a viewer, and no other value
 * means anything to stagewatch (an issuer's group that happens to be called "admin" grants nothing by itself).
 */
@ApplicationScoped
public class OidcRoles implements SecurityIdentityAugmentor {

    private final List<String> viewerRoles;
    private final List<String> adminRoles;

    public OidcRoles(StagewatchConfig config) {
        this.viewerRoles = config.api().oidc().viewerRoles();
        this.adminRoles = config.api().oidc().adminRoles();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getCredential(AccessTokenCredential.class) == null) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(identity.getPrincipal())
                        .addCredentials(identity.getCredentials())
                        .addAttributes(identity.getAttributes())
                        .addRoles(roles(identity.getRoles(), viewerRoles, adminRoles))
                        .build());
    }

    /** stagewatch's roles for the values of the roles claim. */
    static Set<String> roles(Set<String> claimed, List<String> viewerRoles, List<String> adminRoles) {
        Set<String> roles = new HashSet<>();
        if (adminRoles.stream().anyMatch(claimed::contains)) {
            roles.add(ApiSecurity.ADMIN);
            roles.add(ApiSecurity.VIEWER);
        }
        if (viewerRoles.stream().anyMatch(claimed::contains)) {
            roles.add(ApiSecurity.VIEWER);
        }
        return Set.copyOf(roles);
    }
}
